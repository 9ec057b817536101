type Truthy<T> = Exclude<T, false | null | undefined | 0 | "">;

export interface WaitOptions {
  /** How long to keep asking before failing; 10 s unless the call site knows better. */
  timeoutMs?: number;
  /** Pause between two asks; 25 ms keeps a test quick without hammering the database. */
  intervalMs?: number;
}

/**
 * Asks `check` until it answers something truthy, and returns that answer; after `timeoutMs` it fails with an
 * error naming `what` and the timeout.
 *
 * The one poll loop for tests. It is truthy-style on purpose: most waits fetch something (a row, an event, a
 * response) that the test goes on to use, and a falsy answer means "not yet". An error thrown by `check` is a
 * real failure and ends the wait at once — a wait that swallowed errors would hide a broken query behind a
 * timeout. For "until this assertion stops failing" use vitest's own `vi.waitFor(() => expect(...))`, which
 * retries on thrown errors and reports the last assertion's message.
 */
export async function waitFor<T>(
  what: string,
  check: () => T | Promise<T>,
  { timeoutMs = 10_000, intervalMs = 25 }: WaitOptions = {},
): Promise<Truthy<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value as Truthy<T>;
    if (Date.now() > deadline) throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}
