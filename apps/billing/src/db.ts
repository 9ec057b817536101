import { createPrismaClient } from "@omnihall/db";
import { PrismaClient } from "./generated/prisma/client.js";

export type BillingDb = PrismaClient;
/** The client handed to `$transaction(async (tx) => …)`. */
export type BillingTx = Parameters<Parameters<BillingDb["$transaction"]>[0]>[0];

export function createBillingDb(databaseUrl: string, poolSize: number): BillingDb {
  return createPrismaClient(PrismaClient, databaseUrl, { poolSize });
}
