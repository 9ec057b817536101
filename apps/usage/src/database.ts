import pg from "pg";
import type { SqlClient, TransactionRunner } from "@omnihall/bus";

/** One statement of a transaction: set-based SQL with positional parameters ($1, $2, …). */
export interface UsageTx extends SqlClient {
  query<Row>(sql: string, params?: readonly unknown[]): Promise<Row[]>;
}

/** PostgreSQL errors after which the whole transaction may simply run again. */
const RETRYABLE = new Set(["40P01", "40001"]); // deadlock detected, serialization failure

/**
 * The usage database, through node-postgres directly. Ingest must count tens of thousands of records per second
 * with a handful of set-based statements per batch; through Prisma's driver adapter the same multi-row insert ran
 * at about 60% of the speed and each small statement cost a millisecond or two more. The schema and migrations
 * stay Prisma's (prisma/).
 */
export class UsageDb implements TransactionRunner<UsageTx> {
  private readonly pool: pg.Pool;

  constructor(databaseUrl: string, options: { poolSize: number }) {
    this.pool = new pg.Pool({ connectionString: databaseUrl, max: options.poolSize, application_name: "usage" });
    // An idle connection that dies (database restart) is replaced on next use.
    this.pool.on("error", () => undefined);
  }

  /** One statement outside any transaction (reads). */
  async query<Row>(sql: string, params: readonly unknown[] = []): Promise<Row[]> {
    return (await this.pool.query(sql, params as unknown[])).rows as Row[];
  }

  /** Runs `work` in one transaction: committed if it resolves, rolled back if it throws. */
  async $transaction<R>(work: (tx: UsageTx) => Promise<R>): Promise<R> {
    const client = await this.pool.connect();
    const tx: UsageTx = {
      query: async <Row>(sql: string, params: readonly unknown[] = []) =>
        (await client.query(sql, params as unknown[])).rows as Row[],
      $executeRaw: async (strings: TemplateStringsArray, ...values: unknown[]) => {
        const sql = strings.reduce((text, part, i) => `${text}$${i}${part}`);
        return (await client.query(sql, values)).rowCount ?? 0;
      },
    };
    let broken = false;
    try {
      await client.query("BEGIN");
      const result = await work(tx);
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => (broken = true));
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /**
   * A transaction that runs again when PostgreSQL aborted it for a deadlock or serialization conflict: batches
   * lock rows in a fixed order per table, but concurrent batches can still meet across tables now and then.
   */
  async transaction<R>(work: (tx: UsageTx) => Promise<R>, attempts = 5): Promise<R> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.$transaction(work);
      } catch (error) {
        const code = (error as { code?: unknown }).code;
        if (attempt >= attempts || typeof code !== "string" || !RETRYABLE.has(code)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 10 * attempt * Math.random()));
      }
    }
  }

  async close(): Promise<void> {
    await this.pool.end();
  }
}
