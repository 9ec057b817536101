import pg from "pg";
import { backoffDelay, type Backoff } from "./backoff.js";
import type { Logger } from "./logger.js";

export interface PgListenerOptions {
  /** A direct PostgreSQL connection (LISTEN does not work through a transaction-mode pooler). */
  databaseUrl: string;
  /** The channel to LISTEN on: an identifier, as written in `pg_notify('<channel>', …)`. */
  channel: string;
  /** Shown in pg_stat_activity. */
  applicationName: string;
  /** Called on every notification, and once after each (re)connect: what was notified meanwhile was missed. */
  onNotification: () => void;
  logger: Logger;
  /** Between reconnect attempts. Default 0.5 s doubling to 30 s. */
  backoff?: Backoff;
}

const CHANNEL = /^[a-z_][a-z0-9_]*$/;

/**
 * One connection LISTENing on a channel, reconnecting with backoff while running. The workers that use it also
 * poll, so a lost connection only costs latency, never work.
 */
export class PgListener {
  readonly #options: PgListenerOptions;
  #client: pg.Client | undefined;
  #retry: NodeJS.Timeout | undefined;
  #failures = 0;
  #running = true;

  private constructor(options: PgListenerOptions) {
    if (!CHANNEL.test(options.channel)) throw new Error(`Cannot LISTEN on ${JSON.stringify(options.channel)}`);
    this.#options = options;
  }

  /** Starts listening; resolves after the first attempt, connected or not (it keeps trying). */
  static async start(options: PgListenerOptions): Promise<PgListener> {
    const listener = new PgListener(options);
    await listener.#listen();
    return listener;
  }

  async stop(): Promise<void> {
    this.#running = false;
    clearTimeout(this.#retry);
    const client = this.#client;
    this.#client = undefined;
    await client?.end().catch(() => undefined);
  }

  async #listen(): Promise<void> {
    const { databaseUrl, channel, applicationName, onNotification, logger } = this.#options;
    const client = new pg.Client({ connectionString: databaseUrl, application_name: applicationName });
    client.on("notification", () => onNotification());
    client.on("error", (error) => logger.warn({ err: error, channel }, "LISTEN connection lost; polling meanwhile"));
    client.on("end", () => {
      if (this.#client === client) this.#listenLater();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${channel}`);
      if (!this.#running) {
        await client.end();
        return;
      }
      this.#client = client;
      this.#failures = 0;
      onNotification();
    } catch (error) {
      logger.warn({ err: error, channel }, "cannot LISTEN; polling until it can");
      await client.end().catch(() => undefined);
      this.#listenLater();
    }
  }

  #listenLater(): void {
    this.#client = undefined;
    if (!this.#running) return;
    this.#failures += 1;
    const delay = backoffDelay(this.#failures, this.#options.backoff ?? { initialMs: 500, maxMs: 30_000 });
    this.#retry = setTimeout(() => void this.#listen(), delay);
  }
}
