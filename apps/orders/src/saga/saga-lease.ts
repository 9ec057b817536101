import type { Order as OrderRow } from "../generated/prisma/client.js";
import type { SagaStep } from "../generated/prisma/enums.js";
import type { Tx } from "../db.js";

/**
 * Locks an order for saving a saga step's outcome, only if the claim is still ours: the order is at `step` and
 * its saga_due_at is still the lease we set when claiming it. After a lease ran out another worker may have
 * claimed the order (setting its own lease) or even finished the step; then nothing is locked and undefined is
 * returned, so the late worker writes nothing.
 */
export async function lockLeasedOrder(
  tx: Tx,
  orderId: string,
  step: SagaStep,
  lease: Date,
): Promise<OrderRow | undefined> {
  const locked = await tx.$queryRaw<Array<{ id: string }>>`
    SELECT id FROM "order"
    WHERE id = ${orderId} AND saga_step = ${step}::"SagaStep" AND saga_due_at = ${lease}
    FOR UPDATE`;
  if (locked.length === 0) return undefined;
  return (await tx.order.findUnique({ where: { id: orderId } })) ?? undefined;
}
