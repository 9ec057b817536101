import { enqueue } from "@omnihall/bus";
import type { RefundChargeRequest, RefundChargeResponse } from "@omnihall/proto/omnihall/billing/v1/billing";
import type { CallContext } from "@omnihall/service-kit";
import type { BillingDb } from "../db.js";
import { chargeNotFound, requireChargeId, requireRequestId } from "../errors.js";
import { ChargeRefunded, eventHeaders } from "../events.js";
import { reversePointsForCharge } from "../points/points-ledger.js";
import { chargeMessage } from "./charge-message.js";

/**
 * Returns a charge's amount to the balance, at most once per charge: the charge row is locked, and a refunded
 * charge answers with its recorded refund whatever the request_id, so compensation can be retried freely.
 */
export async function refundCharge(
  db: BillingDb,
  request: RefundChargeRequest,
  ctx: CallContext,
): Promise<RefundChargeResponse> {
  requireRequestId(request.requestId);
  requireChargeId(request.chargeId);
  return db.$transaction(async (tx) => {
    const locked = await tx.$queryRaw<
      { id: string }[]
    >`SELECT id FROM charge WHERE id = ${request.chargeId} FOR UPDATE`;
    if (locked.length === 0) throw chargeNotFound();
    const charge = await tx.charge.findUniqueOrThrow({ where: { id: request.chargeId } });
    if (charge.status === "REFUNDED") {
      return { charge: chargeMessage(charge), balanceAfterFen: charge.refundBalanceAfterFen ?? 0n };
    }
    const [credited] = await tx.$queryRaw<{ balance_fen: bigint }[]>`
      UPDATE account SET balance_fen = balance_fen + ${charge.amountFen}, updated_at = now()
      WHERE subscriber_id = ${charge.subscriberId}
      RETURNING balance_fen`;
    const refundedAt = new Date();
    const refunded = await tx.charge.update({
      where: { id: charge.id },
      data: { status: "REFUNDED", refundedAt, refundBalanceAfterFen: credited!.balance_fen },
    });
    await reversePointsForCharge(tx, charge, refundedAt);
    const message = chargeMessage(refunded);
    await enqueue(tx, ChargeRefunded, { charge: message }, { headers: eventHeaders(ctx.requestId) });
    ctx.log.info({ chargeId: charge.id, orderId: charge.orderId }, "charge refunded");
    return { charge: message, balanceAfterFen: credited!.balance_fen };
  });
}
