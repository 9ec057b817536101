import { createPrismaClient } from "@omnihall/db";
import { PrismaClient, type Prisma } from "./generated/prisma/client.js";

export type CatalogDb = PrismaClient;
/** The client inside an interactive transaction. */
export type CatalogTx = Prisma.TransactionClient;

export function createCatalogDb(databaseUrl: string, poolSize?: number): CatalogDb {
  return createPrismaClient(PrismaClient, databaseUrl, { poolSize });
}

/**
 * Runs work in one interactive transaction. Number reservations queue on a row lock under contention, so allow
 * a little more waiting than Prisma's defaults before giving up.
 */
export function inTransaction<T>(db: CatalogDb, work: (tx: CatalogTx) => Promise<T>): Promise<T> {
  return db.$transaction(work, { maxWait: 10_000, timeout: 15_000 });
}
