import pg from "pg";
import { backoffDelay, type Backoff } from "./backoff.js";
import type { EventBus } from "./event-bus.js";
import type { Logger } from "./logger.js";
import { OUTBOX_CHANNEL } from "./outbox.js";

export interface OutboxRelayOptions {
  /** The service's own database (the one holding outbox_message). */
  databaseUrl: string;
  bus: EventBus;
  logger: Logger;
  /** Rows claimed per transaction. Default 100. */
  batchSize?: number;
  /** How often to look for rows when no notification arrives (LISTEN lost, or notifications not delivered). Default 1 s. */
  pollIntervalMs?: number;
  /** How long published rows stay, for inspection: 0 deletes them at once, Infinity keeps them. Default 7 days. */
  keepPublishedMs?: number;
  /** Wait after a failure (bus or database down), doubling per consecutive failure. Default 0.5 s up to 30 s. */
  backoff?: Backoff;
}

interface OutboxRow {
  id: string;
  subject: string;
  payload: Buffer;
  headers: Record<string, string>;
}

const SWEEP_EVERY_MS = 60_000;

/**
 * Moves committed outbox rows to the bus: claims unpublished rows in id order (`FOR UPDATE SKIP LOCKED`, so
 * several relays share the work), publishes each with msgId = row id, then marks them published in the same
 * transaction. A crash between publish and mark leaves the row unpublished; it is published again and the
 * stream drops the duplicate (within its duplicate window), and consumers' processed_message drops it beyond.
 * Wakes on the notification enqueue sends, polls as a fallback, and backs off while the bus is down.
 */
export class OutboxRelay {
  readonly #options: Required<Omit<OutboxRelayOptions, "bus" | "logger" | "databaseUrl">>;
  readonly #databaseUrl: string;
  readonly #bus: EventBus;
  readonly #logger: Logger;
  #pool: pg.Pool | undefined;
  #listener: pg.Client | undefined;
  #listenerRetry: NodeJS.Timeout | undefined;
  #listenerFailures = 0;
  #loop: Promise<void> | undefined;
  #running = false;
  /** A notification arrived since the current batch started: run another batch instead of waiting. */
  #notified = false;
  /** Ends the current pause early; `byNotification` is ignored while backing off after a failure. */
  #wake: ((byNotification: boolean) => void) | undefined;
  #lastSweep = 0;

  constructor(options: OutboxRelayOptions) {
    this.#databaseUrl = options.databaseUrl;
    this.#bus = options.bus;
    this.#logger = options.logger.child({ component: "outbox-relay" });
    this.#options = {
      batchSize: options.batchSize ?? 100,
      pollIntervalMs: options.pollIntervalMs ?? 1_000,
      keepPublishedMs: options.keepPublishedMs ?? 7 * 24 * 60 * 60_000,
      backoff: options.backoff ?? { initialMs: 500, maxMs: 30_000 },
    };
  }

  async start(): Promise<void> {
    if (this.#running) throw new Error("The outbox relay is already running");
    this.#running = true;
    this.#pool = new pg.Pool({
      connectionString: this.#databaseUrl,
      application_name: "omnihall-outbox-relay",
      max: 1,
    });
    // An idle connection that dies is simply replaced on the next batch.
    this.#pool.on("error", (error) =>
      this.#logger.warn({ err: error }, "outbox relay lost an idle database connection"),
    );
    await this.#listen();
    this.#loop = this.#run();
  }

  /** Stops after the batch in progress; unpublished rows wait for the next relay. */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    clearTimeout(this.#listenerRetry);
    this.#wake?.(false);
    await this.#loop;
    const listener = this.#listener;
    this.#listener = undefined;
    await listener?.end().catch(() => undefined);
    await this.#pool?.end();
  }

  async #run(): Promise<void> {
    let failures = 0;
    while (this.#running) {
      let moreWaiting: boolean;
      try {
        moreWaiting = await this.#relayBatch();
        await this.#sweep();
        failures = 0;
      } catch (error) {
        failures += 1;
        const retryInMs = backoffDelay(failures, this.#options.backoff);
        this.#logger.warn({ err: error, retryInMs }, "outbox relay could not publish; backing off");
        await this.#pause(retryInMs, false);
        continue;
      }
      if (!moreWaiting) await this.#pause(this.#options.pollIntervalMs, true);
    }
  }

  /** Publishes one batch; true when the batch was full, so more rows may be waiting. */
  async #relayBatch(): Promise<boolean> {
    this.#notified = false;
    let publishError: unknown;
    const claimed = await this.#transaction(async (client) => {
      const { rows } = await client.query<OutboxRow>(
        `SELECT id, subject, payload, headers FROM outbox_message
         WHERE published_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED`,
        [this.#options.batchSize],
      );
      const published: string[] = [];
      for (const row of rows) {
        try {
          await this.#bus.publish(row.subject, row.payload, { msgId: row.id, headers: row.headers });
          published.push(row.id);
        } catch (error) {
          // Keep the order: later rows wait for this one. Those already published are still marked.
          publishError = error;
          break;
        }
      }
      if (published.length > 0) {
        await client.query(`UPDATE outbox_message SET published_at = now() WHERE id = ANY($1)`, [published]);
      }
      return rows.length;
    });
    if (publishError) throw publishError;
    return claimed === this.#options.batchSize;
  }

  async #sweep(): Promise<void> {
    const keepMs = this.#options.keepPublishedMs;
    if (!Number.isFinite(keepMs) || Date.now() - this.#lastSweep < Math.min(keepMs, SWEEP_EVERY_MS)) return;
    this.#lastSweep = Date.now();
    const { rowCount } = await this.#pool!.query(
      `DELETE FROM outbox_message WHERE published_at <= now() - $1 * interval '1 millisecond'`,
      [keepMs],
    );
    if (rowCount) this.#logger.debug({ deleted: rowCount }, "deleted published outbox rows");
  }

  async #transaction<R>(work: (client: pg.PoolClient) => Promise<R>): Promise<R> {
    const client = await this.#pool!.connect();
    // Without a listener, a connection that dies while checked out would crash the process.
    const onError = (error: Error) => this.#logger.warn({ err: error }, "outbox relay lost its database connection");
    client.on("error", onError);
    let failed = false;
    try {
      await client.query("BEGIN");
      const result = await work(client);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      failed = true;
      await client.query("ROLLBACK").catch(() => undefined);
      throw error;
    } finally {
      client.off("error", onError);
      // After a failure the connection may be broken: discard it rather than reuse it.
      client.release(failed);
    }
  }

  /** Waits up to ms; a notification (when allowed) or stop() ends the wait early. */
  #pause(ms: number, wakeOnNotification: boolean): Promise<void> {
    if (!this.#running) return Promise.resolve();
    if (wakeOnNotification && this.#notified) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = (byNotification) => {
        if (!byNotification || wakeOnNotification) done();
      };
    });
  }

  /** Keeps one connection LISTENing for enqueue's notifications; reconnects with backoff while running. */
  async #listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.#databaseUrl, application_name: "omnihall-outbox-relay" });
    client.on("notification", () => {
      this.#notified = true;
      this.#wake?.(true);
    });
    client.on("error", (error) => this.#logger.warn({ err: error }, "outbox relay lost its LISTEN connection"));
    client.on("end", () => {
      if (this.#listener === client) this.#relisten();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${OUTBOX_CHANNEL}`);
      if (!this.#running) {
        await client.end();
        return;
      }
      this.#listener = client;
      this.#listenerFailures = 0;
      // Rows committed while nobody listened are picked up by the next batch.
      this.#notified = true;
      this.#wake?.(true);
    } catch (error) {
      this.#logger.warn({ err: error }, "outbox relay cannot LISTEN; polling until it can");
      await client.end().catch(() => undefined);
      this.#relisten();
    }
  }

  #relisten(): void {
    this.#listener = undefined;
    if (!this.#running) return;
    this.#listenerFailures += 1;
    this.#listenerRetry = setTimeout(
      () => void this.#listen(),
      backoffDelay(this.#listenerFailures, this.#options.backoff),
    );
  }
}
