import type { CancelPaymentRequest, CancelPaymentResponse } from "@omnihall/proto/omnihall/billing/v1/billing";
import type { CallContext } from "@omnihall/service-kit";
import { requireRequestId, requireSubscriberId } from "../errors.js";
import { gatewayOf } from "./gateways/gateways.js";
import { GatewayRefused, GatewayUnavailable } from "./gateways/online-gateway.js";
import { gatewayUnavailable, notCancellable, paymentNotFound, requirePaymentId } from "./payment-errors.js";
import { paymentMessage } from "./payment-message.js";
import type { PaymentsDeps } from "./payments-deps.js";
import { settlePayment } from "./settle-payment.js";

/**
 * Cancels a payment nobody paid: the gateway's trade is closed first (after which nobody can pay it), then the
 * payment turns CANCELLED — unless the gateway says it was paid meanwhile, in which case it is settled instead.
 * A cash session may be cancelled only while it counted nothing; a card sale is never "cancelled" (it is
 * declined, reversed or refunded).
 */
export async function cancelPayment(
  deps: PaymentsDeps,
  request: CancelPaymentRequest,
  ctx: CallContext,
): Promise<CancelPaymentResponse> {
  const { db } = deps;
  requireRequestId(request.requestId);
  requireSubscriberId(request.subscriberId);
  requirePaymentId(request.paymentId);
  const row = await db.payment.findFirst({ where: { id: request.paymentId, subscriberId: request.subscriberId } });
  if (!row) throw paymentNotFound();
  if (row.status === "CANCELLED") return { payment: paymentMessage(row) };
  const open = row.status === "CREATED" || row.status === "PENDING";
  const cardInFlight = row.paymentMethod === "PAYMENT_METHOD_BANK_CARD";
  if (!open || cardInFlight || row.cashCountedFen > 0n) throw notCancellable(row.status);

  const gateway = gatewayOf(deps.gateways, row.paymentMethod);
  if (gateway) {
    try {
      const trade = await gateway.query(row.id);
      if (trade.state === "PAID") {
        await settlePayment(db, ctx.log, {
          paymentId: row.id,
          amountFen: trade.amountFen ?? -1n,
          providerReference: trade.tradeNo ?? "",
          source: "query-on-cancel",
        });
        throw notCancellable("SUCCEEDED");
      }
      if (trade.state !== "NOT_FOUND") await gateway.close(row.id);
    } catch (error) {
      if (error instanceof GatewayUnavailable || error instanceof GatewayRefused) {
        ctx.log.warn({ paymentId: row.id, err: error }, "gateway did not close the trade: not cancelled");
        throw gatewayUnavailable();
      }
      throw error;
    }
  }
  const cancelled = await db.payment.updateMany({
    where: { id: row.id, status: { in: ["CREATED", "PENDING"] }, cashCountedFen: 0n },
    data: { status: "CANCELLED", nextCheckAt: null },
  });
  const after = await db.payment.findUniqueOrThrow({ where: { id: row.id } });
  if (cancelled.count === 0 && after.status !== "CANCELLED") throw notCancellable(after.status);
  ctx.log.info({ paymentId: row.id }, "payment cancelled");
  return { payment: paymentMessage(after) };
}
