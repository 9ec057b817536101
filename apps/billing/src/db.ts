import { createPrismaClient } from "@omnihall/db";
import { PrismaClient } from "./generated/prisma/client.js";

export type BillingDb = PrismaClient;
/** The client handed to `$transaction(async (tx) => …)`. */
export type BillingTx = Parameters<Parameters<BillingDb["$transaction"]>[0]>[0];

export function createBillingDb(databaseUrl: string, poolSize: number): BillingDb {
  return createPrismaClient(PrismaClient, databaseUrl, { poolSize });
}

/**
 * Runs work in one interactive transaction. Duplicates of one request queue on the account row lock, each holding
 * a pooled connection, so a burst of retries may wait longer than Prisma's defaults (2 s) allow.
 */
export function inTransaction<T>(db: BillingDb, work: (tx: BillingTx) => Promise<T>): Promise<T> {
  return db.$transaction(work, { maxWait: 10_000, timeout: 15_000 });
}
