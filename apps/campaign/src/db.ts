import { createPrismaClient } from "@omnihall/db";
import { PrismaClient, type Prisma } from "./generated/prisma/client.js";

export type CampaignDb = PrismaClient;
/** The client inside an interactive transaction. */
export type CampaignTx = Prisma.TransactionClient;

export function createCampaignDb(databaseUrl: string, poolSize?: number): CampaignDb {
  return createPrismaClient(PrismaClient, databaseUrl, { poolSize });
}

/** Runs work in one interactive transaction (campaign rows are locked while they change). */
export function inTransaction<T>(db: CampaignDb, work: (tx: CampaignTx) => Promise<T>): Promise<T> {
  return db.$transaction(work, { maxWait: 10_000, timeout: 15_000 });
}
