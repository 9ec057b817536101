import { PrismaClient, type Prisma } from "./generated/prisma/client.js";

export { PrismaClient };
/** The service's database client. */
export type NotifyDb = PrismaClient;
/** An interactive transaction on it (what `db.$transaction(async (tx) => …)` hands out). */
export type NotifyTx = Prisma.TransactionClient;
