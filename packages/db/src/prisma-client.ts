import { PrismaPg } from "@prisma/adapter-pg";

export interface PrismaClientOptions {
  /** Most connections the client's pool opens (pg's default: 10). */
  poolSize?: number;
}

/**
 * The one way a service connects its generated Prisma client to PostgreSQL: through @prisma/adapter-pg and a pg
 * pool, so no native query engine is involved.
 *
 *     const db = createPrismaClient(PrismaClient, serviceDatabaseUrl(config.databaseUrl, "billing"));
 */
export function createPrismaClient<Client>(
  PrismaClient: new (options: { adapter: PrismaPg }) => Client,
  databaseUrl: string,
  options: PrismaClientOptions = {},
): Client {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString: databaseUrl, max: options.poolSize }) });
}
