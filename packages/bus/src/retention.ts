import pg from "pg";
import { counterFamily, type CounterCell } from "@omnihall/telemetry";
import type { Backoff } from "./backoff.js";
import type { Logger } from "./logger.js";
import { WorkLoop } from "./work-loop.js";

/** One table whose rows are deleted once they are older than `maxAgeMs`. */
export interface RetentionTable {
  /** The table, as in the database (`processed_message`). Written into SQL: only names from code, never input. */
  table: string;
  /** The timestamp column a row's age is measured from (`processed_at`). */
  column: string;
  maxAgeMs: number;
  /**
   * An extra SQL condition a row must also meet to go (`finished_at IS NOT NULL`: only messages that are done).
   * From code only, like the names.
   */
  where?: string;
  /**
   * Rest between sweeps of this table once it has no more old rows; default the sweeper's `pollIntervalMs`.
   * Longer for a huge table whose time column has no index (each clean sweep reads the whole table).
   */
  intervalMs?: number;
}

export interface RetentionSweeperOptions {
  databaseUrl: string;
  tables: readonly RetentionTable[];
  logger: Logger;
  /** Rows per DELETE statement (each its own short transaction). Default 5,000. */
  batchSize?: number;
  /** Rest between sweeps once every table is down to rows younger than its age. Default 10 minutes. */
  pollIntervalMs?: number;
  backoff?: Backoff;
}

const DAY_MS = 24 * 60 * 60_000;

/** Milliseconds in `days` days, for `maxAgeMs` from a `RETENTION_<TABLE>_DAYS` setting. */
export function days(count: number): number {
  return count * DAY_MS;
}

/**
 * The platform's default ages (the services' `RETENTION_<TABLE>_DAYS` defaults), in days, with the reason each
 * is long enough.
 */
export const RETENTION_DEFAULT_DAYS = {
  /** Request-id ledgers: far longer than any client retries a request (minutes to hours). */
  requestIds: 30,
  /**
   * Processed-event records: longer than a stream keeps an event (`maxAgeMs`, 7 days), so any redelivery the
   * stream can still make is recognised as already applied.
   */
  processedEvents: 14,
  /** Login attempts (login requests with their outcomes): a month of history for support and fraud questions. */
  loginAttempts: 30,
  /** Delivered (finished) messages with their parts and delivery reports: a quarter, for subscriber enquiries. */
  deliveredMessages: 90,
} as const;

const deletedRows = counterFamily(
  "omnihall_retention_deleted_rows_total",
  "Rows the retention sweeper deleted for being older than their table's configured age, by database and table.",
  ["database", "table"],
);

/**
 * Deletes rows older than their table's age, in small batches on the platform's WorkLoop: one statement deletes
 * at most `batchSize` rows (its own short transaction, so no long lock, no giant WAL burst, no bloat spike), the
 * loop goes again at once while a batch came back full, and rests `pollIntervalMs` otherwise. Safe with several
 * instances: each batch picks its rows `FOR UPDATE SKIP LOCKED`, so two sweepers never wait on or count the same
 * rows, and deleting what is already gone deletes nothing.
 */
export class RetentionSweeper {
  readonly #databaseUrl: string;
  readonly #tables: readonly (RetentionTable & { deleted: CounterCell; dueAt: number })[];
  readonly #pollIntervalMs: number;
  readonly #batchSize: number;
  readonly #logger: Logger;
  readonly #loop: WorkLoop;
  #pool: pg.Pool | undefined;

  constructor(options: RetentionSweeperOptions) {
    this.#databaseUrl = options.databaseUrl;
    this.#batchSize = options.batchSize ?? 5_000;
    this.#logger = options.logger.child({ component: "retention" });
    const database = new URL(options.databaseUrl).pathname.slice(1);
    this.#tables = options.tables.map((table) => {
      if (!/^[a-z_][a-z0-9_]*$/.test(table.table) || !/^[a-z_][a-z0-9_]*$/.test(table.column)) {
        throw new Error(`Retention needs plain lower-case table and column names (got ${table.table}.${table.column})`);
      }
      if (!(table.maxAgeMs > 0)) throw new Error(`Retention age of ${table.table} must be positive`);
      return { ...table, deleted: deletedRows.cell({ database, table: table.table }), dueAt: 0 };
    });
    this.#pollIntervalMs = options.pollIntervalMs ?? 10 * 60_000;
    this.#loop = new WorkLoop({
      round: () => this.sweepOnce(),
      pollIntervalMs: this.#pollIntervalMs,
      backoff: options.backoff ?? { initialMs: 1_000, maxMs: 5 * 60_000 },
      logger: this.#logger,
      failureMessage: "retention sweep failed; backing off",
    });
  }

  start(): void {
    this.#loop.start();
  }

  async stop(): Promise<void> {
    await this.#loop.stop();
    const pool = this.#pool;
    this.#pool = undefined;
    await pool?.end().catch(() => undefined);
  }

  /**
   * One batch per table that is due (`force`: every table); true when some table's batch was full (more old rows
   * may be waiting).
   */
  async sweepOnce(force = false): Promise<boolean> {
    let more = false;
    for (const table of this.#tables) {
      if (!force && Date.now() < table.dueAt) continue;
      const deleted = await this.#deleteBatch(table);
      if (deleted > 0) {
        table.deleted.inc(deleted);
        this.#logger.debug({ table: table.table, deleted }, "deleted rows past their retention age");
      }
      if (deleted >= this.#batchSize) more = true;
      else table.dueAt = Date.now() + (table.intervalMs ?? this.#pollIntervalMs);
    }
    return more;
  }

  async #deleteBatch(table: RetentionTable): Promise<number> {
    const extra = table.where ? ` AND (${table.where})` : "";
    // ctid = ANY(ARRAY(…)) is a TID scan on the chosen rows; SKIP LOCKED leaves rows another sweeper (or a
    // writer) holds to them.
    const { rowCount } = await this.#connected().query(
      `DELETE FROM ${table.table} WHERE ctid = ANY(ARRAY(
         SELECT ctid FROM ${table.table}
         WHERE ${table.column} < now() - $1 * interval '1 millisecond'${extra}
         LIMIT $2 FOR UPDATE SKIP LOCKED))`,
      [table.maxAgeMs, this.#batchSize],
    );
    return rowCount ?? 0;
  }

  #connected(): pg.Pool {
    if (!this.#pool) {
      this.#pool = new pg.Pool({ connectionString: this.#databaseUrl, max: 1, application_name: "omnihall-retention" });
      // An idle connection that dies must not crash the process; the pool opens a new one for the next batch.
      this.#pool.on("error", (error) => this.#logger.warn({ err: error }, "retention lost its database connection"));
    }
    return this.#pool;
  }
}
