import { PrismaPg } from "@prisma/adapter-pg";
import { databaseNameOf } from "./database-urls.js";
import { measuredPool } from "./pool-telemetry.js";
import { rememberPool } from "./prepared-reads.js";

export interface PrismaClientOptions {
  /** Most connections the client's pool opens (pg's default: 10). */
  poolSize?: number;
}

/**
 * The one way a service connects its generated Prisma client to PostgreSQL: through @prisma/adapter-pg and a pg
 * pool, so no native query engine is involved. The pool's use is in the metrics (`omnihall_db_pool_*`, by
 * database) and, with tracing on, every query is a span.
 *
 *     const db = createPrismaClient(PrismaClient, serviceDatabaseUrl(config.databaseUrl, "billing"));
 */
export function createPrismaClient<Client>(
  PrismaClient: new (options: { adapter: PrismaPg }) => Client,
  databaseUrl: string,
  options: PrismaClientOptions = {},
): Client {
  // Our own pool (ended by $disconnect) so its use is measured and its queries traced.
  const pool = measuredPool(databaseUrl, databaseNameOf(databaseUrl), options.poolSize);
  const client = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true }) });
  // Hot one-row reads use the same pool (and its metrics) without going through Prisma: see preparedRead.
  rememberPool(client as object, pool);
  return client;
}
