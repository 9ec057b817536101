import { createPrismaClient } from "@omnihall/db";
import { PrismaClient, type Prisma } from "./generated/prisma/client.js";

export type CustomerDb = PrismaClient;
/** The client inside an interactive transaction. */
export type CustomerTx = Prisma.TransactionClient;

export function createCustomerDb(databaseUrl: string, poolSize?: number): CustomerDb {
  return createPrismaClient(PrismaClient, databaseUrl, { poolSize });
}

/**
 * Runs work in one interactive transaction. Logins of one number queue on a lock on the number, so a burst of
 * retries may wait a little longer than Prisma's defaults allow.
 */
export function inTransaction<T>(db: CustomerDb, work: (tx: CustomerTx) => Promise<T>): Promise<T> {
  return db.$transaction(work, { maxWait: 10_000, timeout: 15_000 });
}
