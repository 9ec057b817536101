import type { Order as OrderRow } from "../generated/prisma/client.js";
import type { Tx } from "../db.js";

/** Reads an order and holds its row lock until the transaction ends: one writer per order at a time. */
export async function lockOrder(tx: Tx, orderId: string): Promise<OrderRow | null> {
  const locked = await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM "order" WHERE id = ${orderId} FOR UPDATE`;
  if (locked.length === 0) return null;
  return tx.order.findUniqueOrThrow({ where: { id: orderId } });
}
