import type pg from "pg";
import type { SqlClient, TransactionRunner } from "../sql-client.js";

/** A SqlClient on one pg connection: tagged-template values become $1, $2, … parameters, as Prisma sends them. */
export interface PgSqlClient extends SqlClient {
  query<R extends pg.QueryResultRow>(query: TemplateStringsArray, ...values: unknown[]): Promise<R[]>;
}

/**
 * The tiny transaction interface the bus needs, on plain pg instead of a service's Prisma client, so the kit's
 * tests run without generating one. Rolls back when the function throws, like `prisma.$transaction(fn)`.
 */
export function pgTransactionRunner(pool: pg.Pool): TransactionRunner<PgSqlClient> {
  return {
    async $transaction(fn) {
      const client = await pool.connect();
      const ignoreDeadConnection = () => undefined;
      client.on("error", ignoreDeadConnection);
      let failed = false;
      try {
        await client.query("BEGIN");
        const result = await fn(sqlClient(client));
        await client.query("COMMIT");
        return result;
      } catch (error) {
        failed = true;
        await client.query("ROLLBACK").catch(() => undefined);
        throw error;
      } finally {
        client.off("error", ignoreDeadConnection);
        client.release(failed);
      }
    },
  };
}

function sqlClient(client: pg.PoolClient): PgSqlClient {
  const toSql = (strings: TemplateStringsArray) => strings.reduce((sql, part, i) => `${sql}$${i}${part}`);
  return {
    async $executeRaw(strings, ...values) {
      return (await client.query(toSql(strings), values)).rowCount ?? 0;
    },
    async query(strings, ...values) {
      return (await client.query(toSql(strings), values)).rows;
    },
  };
}
