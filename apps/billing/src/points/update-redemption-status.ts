import {
  RedemptionStatus,
  type UpdateRedemptionStatusRequest,
  type UpdateRedemptionStatusResponse,
} from "@omnihall/proto/omnihall/billing/v1/points";
import type { CallContext } from "@omnihall/service-kit";
import type { BillingDb } from "../db.js";
import type { RedemptionStatus as RedemptionStatusName } from "../generated/prisma/client.js";
import {
  redemptionNotFound,
  redemptionStatusInvalid,
  redemptionStatusTransitionInvalid,
  requireRedemptionId,
} from "./points-errors.js";
import { redemptionMessage } from "./points-messages.js";

/** A gift moves one step at a time; the status each step comes from. */
const PREVIOUS: Partial<Record<RedemptionStatusName, RedemptionStatusName>> = {
  SHIPPED: "PLACED",
  DELIVERED: "SHIPPED",
};

export async function updateRedemptionStatus(
  db: BillingDb,
  request: UpdateRedemptionStatusRequest,
  ctx: CallContext,
): Promise<UpdateRedemptionStatusResponse> {
  requireRedemptionId(request.redemptionId);
  const target: RedemptionStatusName | undefined =
    request.status === RedemptionStatus.REDEMPTION_STATUS_SHIPPED
      ? "SHIPPED"
      : request.status === RedemptionStatus.REDEMPTION_STATUS_DELIVERED
        ? "DELIVERED"
        : undefined;
  if (!target) throw redemptionStatusInvalid();
  return db.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<{ id: string }[]>`
      SELECT id FROM redemption WHERE id = ${request.redemptionId} FOR UPDATE`;
    if (locked.length === 0) throw redemptionNotFound();
    const row = await tx.redemption.findUniqueOrThrow({ where: { id: request.redemptionId } });
    if (row.status === target) return { redemption: redemptionMessage(row) };
    if (row.status !== PREVIOUS[target]) throw redemptionStatusTransitionInvalid(row.status, target);
    const updated = await tx.redemption.update({
      where: { id: row.id },
      data: { status: target, updatedAt: new Date() },
    });
    ctx.log.info({ redemptionId: row.id, status: target }, "redemption status changed");
    return { redemption: redemptionMessage(updated) };
  });
}
