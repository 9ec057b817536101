import { Batcher } from "@omnihall/batching";
import type pg from "pg";

/** The pg pool under each client made by createPrismaClient, for reads that skip Prisma (see preparedRead). */
const pools = new WeakMap<object, pg.Pool>();
/** Connections lent out by preparedTransaction: a prepared statement given one runs in its transaction. */
const lent = new WeakSet<pg.PoolClient>();

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

export interface PreparedLookupOptions {
  /** Keys in one query at most. Default 200. */
  maxItems?: number;
  /** Queries of this lookup running at once per pool; lookups made meanwhile wait for the next. Default 2. */
  maxInFlight?: number;
}

/**
 * preparedRead of one row by key for the hottest lookups, coalesced: the lookups a service makes in one turn of
 * the event loop, and while earlier queries of the same lookup run, go to PostgreSQL as one `= ANY($1)` query
 * (see Batcher). Under load a query then serves tens of calls for about the cost of one; a lone lookup waits for
 * nothing. `text` takes the keys as `$1` (an array) and must select the key column as the row field `keyOf` reads.
 *
 *     const subscriberByMsisdn = preparedLookup<Row>("customer_subscribers_by_msisdn",
 *       `SELECT … FROM subscriber WHERE msisdn = ANY($1::text[])`, (row) => row.msisdn);
 *     const row = await subscriberByMsisdn(db, msisdn);
 *
 * Only for the pool's own client: inside preparedTransaction use preparedRead, which runs on the lent connection.
 */
export function preparedLookup<Row>(
  name: string,
  text: string,
  keyOf: (row: Row) => string,
  options: PreparedLookupOptions = {},
): (client: object, key: string) => Promise<Row | undefined> {
  const query = preparedQuery<Row>(name, text);
  const batchers = new WeakMap<object, Batcher<string, Row | undefined>>();
  return (client, key) => {
    let batcher = batchers.get(client);
    if (!batcher) {
      batcher = new Batcher(
        async (keys) => {
          const rows = new Map((await query(client, [[...new Set(keys)]])).map((row) => [keyOf(row), row]));
          return keys.map((k) => ({ ok: true, value: rows.get(k) }));
        },
        { maxItems: options.maxItems ?? 200, maxInFlight: options.maxInFlight ?? 2 },
      );
      batchers.set(client, batcher);
    }
    return batcher.add(key);
  };
}

/**
 * preparedRead for a statement answering several rows, or a single-statement claim that runs on its own
 * (`UPDATE … RETURNING` outside any transaction, such as a dispatcher claiming a batch): every row it returns.
 */
export function preparedQuery<Row>(name: string, text: string): (client: object, values: unknown[]) => Promise<Row[]> {
  return async (client, values) => {
    const runner = lent.has(client as pg.PoolClient) ? (client as pg.PoolClient) : pools.get(client);
    if (!runner) throw new Error(`preparedRead ${name}: the client was not made by createPrismaClient`);
    const result = await runner.query<Row & pg.QueryResultRow>({ name, text, values });
    return result.rows;
  };
}

export interface PreparedTransactionOptions {
  /**
   * Longest wait for a pooled connection before giving up with an error, as Prisma's own transactions do (its
   * maxWait, 2 s), so a caller can retry rather than queue behind an exhausted pool. Default 2 s.
   */
  maxWaitMs?: number;
}

/**
 * Several prepared statements (see preparedQuery) that must be atomic, in BEGIN … COMMIT on one pooled connection
 * of a client made by createPrismaClient: `work` gets the connection to pass to them in place of the client. It
 * rolls back if `work` throws. Keep network calls other than the database out of `work`.
 */
export async function preparedTransaction<T>(
  client: object,
  work: (connection: object) => Promise<T>,
  options: PreparedTransactionOptions = {},
): Promise<T> {
  const pool = pools.get(client);
  if (!pool) throw new Error("preparedTransaction: the client was not made by createPrismaClient");
  const connection = await connectWithin(pool, options.maxWaitMs ?? 2_000);
  lent.add(connection);
  let broken: Error | undefined;
  try {
    await connection.query("BEGIN");
    const result = await work(connection);
    await connection.query("COMMIT");
    return result;
  } catch (error) {
    await connection.query("ROLLBACK").catch((rollbackFailed: Error) => (broken = rollbackFailed));
    throw error;
  } finally {
    lent.delete(connection);
    // A connection whose rollback failed may still be inside the transaction: the pool discards it.
    connection.release(broken);
  }
}

async function connectWithin(pool: pg.Pool, maxWaitMs: number): Promise<pg.PoolClient> {
  let timer: NodeJS.Timeout | undefined;
  let gaveUp = false;
  const connecting = pool.connect();
  try {
    return await Promise.race([
      connecting,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          gaveUp = true;
          reject(new Error(`no pooled database connection free within ${maxWaitMs} ms`));
        }, maxWaitMs);
      }),
    ]);
  } finally {
    clearTimeout(timer);
    // The pool still hands one out later: give it straight back.
    if (gaveUp) void connecting.then((late) => late.release()).catch(() => undefined);
  }
}
