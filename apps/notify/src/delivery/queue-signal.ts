import pg from "pg";
import type { Logger } from "pino";
import type { NotifyTx } from "../db.js";

/** The PostgreSQL channel a committed queue insert notifies, waking every instance's dispatcher. */
const CHANNEL = "notify_message_queued";

/**
 * Tells dispatchers a message is due. Sent inside the queuing transaction: PostgreSQL delivers it only on
 * commit, so a dispatcher never looks before the message is visible, and every instance hears it.
 */
export async function signalMessageQueued(tx: NotifyTx): Promise<void> {
  await tx.$executeRaw`SELECT pg_notify(${CHANNEL}, '')`;
}

/**
 * One connection LISTENing for queue signals; reconnects with backoff while running. The dispatcher also polls,
 * so a lost connection only costs latency.
 */
export class QueueSignalListener {
  private client: pg.Client | undefined;
  private retry: NodeJS.Timeout | undefined;
  private failures = 0;
  private running = true;

  private constructor(
    private readonly databaseUrl: string,
    private readonly onSignal: () => void,
    private readonly logger: Logger,
  ) {}

  static async start(databaseUrl: string, onSignal: () => void, logger: Logger): Promise<QueueSignalListener> {
    const listener = new QueueSignalListener(databaseUrl, onSignal, logger);
    await listener.listen();
    return listener;
  }

  async stop(): Promise<void> {
    this.running = false;
    clearTimeout(this.retry);
    const client = this.client;
    this.client = undefined;
    await client?.end().catch(() => undefined);
  }

  private async listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.databaseUrl, application_name: "omnihall-notify-dispatch" });
    client.on("notification", () => this.onSignal());
    client.on("error", (error) => this.logger.warn({ err: error }, "queue signal connection lost; polling meanwhile"));
    client.on("end", () => {
      if (this.client === client) this.listenLater();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${CHANNEL}`);
      this.client = client;
      this.failures = 0;
      // Anything queued while nobody listened is found by looking once now.
      this.onSignal();
    } catch (error) {
      await client.end().catch(() => undefined);
      this.logger.warn({ err: error }, "cannot LISTEN for queue signals; polling until it can");
      this.listenLater();
    }
  }

  private listenLater(): void {
    this.client = undefined;
    if (!this.running) return;
    const delayMs = Math.min(30_000, 500 * 2 ** this.failures++);
    this.retry = setTimeout(() => void this.listen(), delayMs);
  }
}
