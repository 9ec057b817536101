import pg from "pg";
import type { Backoff } from "./backoff.js";
import type { EventBus } from "./event-bus.js";
import type { Logger } from "./logger.js";
import { watchOutbox } from "./bus-telemetry.js";
import { OUTBOX_CHANNEL } from "./outbox.js";
import { PgListener } from "./pg-listener.js";
import { WorkLoop } from "./work-loop.js";

export interface OutboxRelayOptions {
  /** The service's own database (the one holding outbox_message). */
  databaseUrl: string;
  bus: EventBus;
  logger: Logger;
  /** Rows claimed and published per round. Default 200. */
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
const APPLICATION_NAME = "omnihall-outbox-relay";

/**
 * Row claims are session-level advisory locks in their own key space (class id below, row = hashtext(id)), so
 * they never meet the services' own advisory locks.
 */
const CLAIM_CLASS = 0x6f627278; // "obrx"

/**
 * Moves committed outbox rows to the bus without holding a transaction (or row locks) while it waits on NATS:
 *
 * 1. claim: one statement takes a session advisory lock per unpublished row, in id order, skipping rows another
 *    relay holds (several relays share the work), then re-reads which are still unpublished now that they are
 *    ours (a row another relay marked just before we locked it is dropped, not published twice);
 * 2. publish the batch, pipelined on the one NATS connection (wire order = id order), msgId = row id;
 * 3. mark the published prefix (up to the first failure, so later rows wait for it) and release the claims.
 *
 * The claims live on the relay's own connection, not in a transaction: if the relay dies its session ends and
 * PostgreSQL releases them (the lease expires with the session), and the mark runs on that same session, so a
 * relay that lost its claims can no longer mark anything (fencing). A crash between publish and mark leaves the
 * row unpublished; the next relay publishes it again and the stream drops the duplicate (within its duplicate
 * window), and consumers' processed_message drops it beyond. Wakes on the notification enqueue sends, polls as a
 * fallback, and backs off while the bus or the database is down.
 */
export class OutboxRelay {
  readonly #options: Required<Omit<OutboxRelayOptions, "bus" | "logger" | "databaseUrl">>;
  readonly #databaseUrl: string;
  readonly #bus: EventBus;
  readonly #logger: Logger;
  readonly #loop: WorkLoop;
  #session: pg.Client | undefined;
  #listener: PgListener | undefined;
  #lastSweep = 0;
  #unwatchOutbox: (() => void) | undefined;

  constructor(options: OutboxRelayOptions) {
    this.#databaseUrl = options.databaseUrl;
    this.#bus = options.bus;
    this.#logger = options.logger.child({ component: "outbox-relay" });
    this.#options = {
      batchSize: options.batchSize ?? 200,
      pollIntervalMs: options.pollIntervalMs ?? 1_000,
      keepPublishedMs: options.keepPublishedMs ?? 7 * 24 * 60 * 60_000,
      backoff: options.backoff ?? { initialMs: 500, maxMs: 30_000 },
    };
    this.#loop = new WorkLoop({
      round: async () => {
        const more = await this.#relayBatch();
        await this.#sweep();
        return more;
      },
      pollIntervalMs: this.#options.pollIntervalMs,
      backoff: this.#options.backoff,
      logger: this.#logger,
      failureMessage: "outbox relay could not publish; backing off",
    });
  }

  async start(): Promise<void> {
    if (this.#loop.running) throw new Error("The outbox relay is already running");
    this.#listener = await PgListener.start({
      databaseUrl: this.#databaseUrl,
      channel: OUTBOX_CHANNEL,
      applicationName: APPLICATION_NAME,
      onNotification: () => this.#loop.wake(),
      logger: this.#logger,
      backoff: this.#options.backoff,
    });
    this.#loop.start();
    // Backlog and oldest age at every scrape, under the database's name.
    this.#unwatchOutbox = watchOutbox(new URL(this.#databaseUrl).pathname.slice(1), () => this.#session);
  }

  /** Stops after the batch in progress; unpublished rows wait for the next relay. */
  async stop(): Promise<void> {
    this.#unwatchOutbox?.();
    this.#unwatchOutbox = undefined;
    await this.#listener?.stop();
    this.#listener = undefined;
    await this.#loop.stop();
    const session = this.#session;
    this.#session = undefined;
    await session?.end().catch(() => undefined);
  }

  /** Publishes one batch; true when the batch was full, so more rows may be waiting. */
  async #relayBatch(): Promise<boolean> {
    const session = await this.#connected();
    try {
      const { rows: claimed } = await session.query<{ id: string }>(
        // The oldest few batches are the candidates (so the lock is tried on them only, whatever plan
        // PostgreSQL picks); of those, the first batchSize no other relay holds are ours.
        `SELECT id FROM (
           SELECT id FROM outbox_message WHERE published_at IS NULL ORDER BY id LIMIT $1 * 4
         ) AS candidate
         WHERE pg_try_advisory_lock(${CLAIM_CLASS}, hashtext(id))
         LIMIT $1`,
        [this.#options.batchSize],
      );
      if (claimed.length === 0) return false;
      // A fresh snapshot, taken after the locks: rows another relay marked while we were claiming are gone.
      const { rows } = await session.query<OutboxRow>(
        `SELECT id, subject, payload, headers FROM outbox_message
         WHERE id = ANY($1) AND published_at IS NULL ORDER BY id`,
        [claimed.map((row) => row.id)],
      );
      const outcomes = await Promise.allSettled(
        rows.map((row) => this.#bus.publish(row.subject, row.payload, { msgId: row.id, headers: row.headers })),
      );
      // Keep the order: rows after a failed one wait for it (they were published; the stream drops them when
      // they go again). Those before it are marked.
      const failedAt = outcomes.findIndex((outcome) => outcome.status === "rejected");
      const published = (failedAt === -1 ? rows : rows.slice(0, failedAt)).map((row) => row.id);
      if (published.length > 0) {
        await session.query(`UPDATE outbox_message SET published_at = now() WHERE id = ANY($1)`, [published]);
      }
      if (failedAt !== -1) throw (outcomes[failedAt] as PromiseRejectedResult).reason;
      return claimed.length === this.#options.batchSize;
    } finally {
      await this.#releaseClaims(session);
    }
  }

  /** Releases every claim of this session; a session that cannot is dropped, which releases them too. */
  async #releaseClaims(session: pg.Client): Promise<void> {
    try {
      await session.query(`SELECT pg_advisory_unlock_all()`);
    } catch {
      this.#drop(session);
    }
  }

  async #sweep(): Promise<void> {
    const keepMs = this.#options.keepPublishedMs;
    if (!Number.isFinite(keepMs) || Date.now() - this.#lastSweep < Math.min(keepMs, SWEEP_EVERY_MS)) return;
    this.#lastSweep = Date.now();
    const session = await this.#connected();
    const { rowCount } = await session.query(
      `DELETE FROM outbox_message WHERE published_at <= now() - $1 * interval '1 millisecond'`,
      [keepMs],
    );
    if (rowCount) this.#logger.debug({ deleted: rowCount }, "deleted published outbox rows");
  }

  /** The relay's own session (claims are tied to it); a new one after the last was lost. */
  async #connected(): Promise<pg.Client> {
    if (this.#session) return this.#session;
    const session = new pg.Client({ connectionString: this.#databaseUrl, application_name: APPLICATION_NAME });
    // Without a listener, a connection that dies would crash the process; the next round opens a new one.
    session.on("error", (error) => {
      this.#logger.warn({ err: error }, "outbox relay lost its database connection");
      this.#drop(session);
    });
    try {
      await session.connect();
    } catch (error) {
      await session.end().catch(() => undefined);
      throw error;
    }
    this.#session = session;
    return session;
  }

  #drop(session: pg.Client): void {
    if (this.#session === session) this.#session = undefined;
    void session.end().catch(() => undefined);
  }
}
