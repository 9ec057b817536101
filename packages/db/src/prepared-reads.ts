import type pg from "pg";

/** The pg pool under each client made by createPrismaClient, for reads that skip Prisma (see preparedRead). */
const pools = new WeakMap<object, pg.Pool>();

export function rememberPool(client: object, pool: pg.Pool): void {
  pools.set(client, pool);
}

/**
 * A one-row read on a hot path (a lookup every channel call makes, such as GetSubscriber or GetBalance) as a
 * named prepared statement on the service's own pool. Prisma's client runs every query through its query
 * compiler, interpreter and adapter: in the profiles that was several times the CPU of the pg query itself. pg
 * prepares a named statement once per connection and then only binds and executes it.
 *
 * Keep these to single-table reads by key whose columns are selected with the names and types of the Prisma model
 * (`display_name AS "displayName"`, enums as `::text`, int8 as `::text` turned into bigint by the caller), so the
 * row can go to the same view function as a Prisma record. Writes stay in Prisma, in their transactions.
 *
 *     const accountBySubscriber = preparedRead<AccountRow>("billing_account_by_subscriber",
 *       `SELECT subscriber_id AS "subscriberId", balance_fen::text AS "balanceFen" … WHERE subscriber_id = $1`);
 *     const row = await accountBySubscriber(db, [subscriberId]);
 */
export function preparedRead<Row>(
  name: string,
  text: string,
): (client: object, values: unknown[]) => Promise<Row | undefined> {
  const query = preparedQuery<Row>(name, text);
  return async (client, values) => (await query(client, values))[0];
}

/**
 * preparedRead for a statement answering several rows, or a single-statement claim that runs on its own
 * (`UPDATE … RETURNING` outside any transaction, such as a dispatcher claiming a batch): every row it returns.
 */
export function preparedQuery<Row>(name: string, text: string): (client: object, values: unknown[]) => Promise<Row[]> {
  return async (client, values) => {
    const pool = pools.get(client);
    if (!pool) throw new Error(`preparedRead ${name}: the client was not made by createPrismaClient`);
    const result = await pool.query<Row & pg.QueryResultRow>({ name, text, values });
    return result.rows;
  };
}
