import { createPrismaClient } from "@omnihall/db";
import { PrismaClient, type Prisma } from "./generated/prisma/client.js";

export type OrdersDb = PrismaClient;
/** The client inside an interactive transaction. */
export type Tx = Prisma.TransactionClient;

export function createOrdersDb(databaseUrl: string, poolSize: number): OrdersDb {
  return createPrismaClient(PrismaClient, databaseUrl, { poolSize });
}
