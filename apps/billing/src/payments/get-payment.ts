import type { GetPaymentRequest, GetPaymentResponse } from "@omnihall/proto/omnihall/billing/v1/billing";
import type { BillingDb } from "../db.js";
import { requireSubscriberId } from "../errors.js";
import { paymentNotFound, requirePaymentId } from "./payment-errors.js";
import { paymentMessage } from "./payment-message.js";

/** Another subscriber's payment is "not found", as for bills. */
export async function getPayment(db: BillingDb, request: GetPaymentRequest): Promise<GetPaymentResponse> {
  requireSubscriberId(request.subscriberId);
  requirePaymentId(request.paymentId);
  const row = await db.payment.findFirst({ where: { id: request.paymentId, subscriberId: request.subscriberId } });
  if (!row) throw paymentNotFound();
  return { payment: paymentMessage(row) };
}
