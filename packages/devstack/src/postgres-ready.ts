import pg from "pg";

/** Time between attempts: short, since a starting server is usually ready within a second or two. */
const RETRY_INTERVAL_MS = 100;

/**
 * Waits until the PostgreSQL server at `url` answers a query, or throws after `timeoutMs` with the last refusal.
 * An open port is not readiness: the server accepts connections while it is still starting up (or recovering)
 * and refuses them with "the database system is starting up" (57P03) until then, which a slow machine shows.
 */
export async function waitForPostgres(url: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  for (;;) {
    const remainingMs = deadline - Date.now();
    if (remainingMs <= 0) break;
    const client = new pg.Client({
      connectionString: url,
      connectionTimeoutMillis: Math.max(1, Math.min(remainingMs, 5_000)),
      query_timeout: Math.max(1, Math.min(remainingMs, 5_000)),
    });
    // A refused connection also emits "error" on the client; the rejected connect() reports it.
    client.on("error", () => {});
    try {
      await client.connect();
      await client.query("SELECT 1");
      return;
    } catch (error) {
      lastError = error;
    } finally {
      await client.end().catch(() => {});
    }
    await new Promise((resolve) =>
      setTimeout(resolve, Math.min(RETRY_INTERVAL_MS, Math.max(0, deadline - Date.now()))),
    );
  }
  const reason = lastError instanceof Error ? lastError.message : String(lastError ?? "no attempt finished");
  throw new Error(`PostgreSQL at ${redacted(url)} answered no query within ${timeoutMs} ms: ${reason}`);
}

/** The URL without its password, for error messages. */
function redacted(url: string): string {
  const parsed = new URL(url);
  if (parsed.password) parsed.password = "***";
  return parsed.toString();
}
