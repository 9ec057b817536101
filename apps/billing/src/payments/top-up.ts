import { enqueue } from "@omnihall/bus";
import { isUniqueViolation } from "@omnihall/db";
import { newId } from "@omnihall/ids";
import { PaymentMethod, type TopUpRequest, type TopUpResponse } from "@omnihall/proto/omnihall/billing/v1/billing";
import type { CallContext } from "@omnihall/service-kit";
import type { BillingConfig } from "../config.js";
import { inTransaction, type BillingDb } from "../db.js";
import { channelName, paymentMethodName } from "../enum-names.js";
import {
  accountNotFound,
  channelRequired,
  paymentMethodRequired,
  requestIdReused,
  requireAmount,
  requireRequestId,
  requireSubscriberId,
} from "../errors.js";
import { eventHeaders, PaymentCompleted } from "../events.js";
import { fingerprintOf } from "../fingerprint.js";
import { assertMethodAllowed } from "./channel-methods.js";
import { paymentMessage } from "./payment-message.js";

/**
 * Credits a balance once per request_id. The payment row is the idempotency record: a concurrent duplicate waits
 * on the account row lock, then fails on the request_id unique key and rolls back its credit, and the retry
 * answers with the stored payment — so N identical requests make one payment and N identical answers.
 */
export async function topUp(
  db: BillingDb,
  config: Pick<BillingConfig, "TOP_UP_MAX_FEN">,
  request: TopUpRequest,
  ctx: CallContext,
): Promise<TopUpResponse> {
  requireRequestId(request.requestId);
  requireSubscriberId(request.subscriberId);
  requireAmount(request.amountFen, config.TOP_UP_MAX_FEN);
  const channel = channelName(request.channel);
  if (!channel) throw channelRequired();
  // POINTS is how RedeemReward records a points credit; no hall takes money by it.
  const paymentMethod =
    request.paymentMethod === PaymentMethod.PAYMENT_METHOD_POINTS
      ? undefined
      : paymentMethodName(request.paymentMethod);
  if (!paymentMethod) throw paymentMethodRequired();
  assertMethodAllowed(request.channel, request.paymentMethod);
  const fingerprint = fingerprintOf({
    subscriberId: request.subscriberId,
    amountFen: request.amountFen,
    channel,
    paymentMethod,
  });

  const replay = async () => {
    const first = await db.payment.findUnique({ where: { requestId: request.requestId } });
    if (!first) return undefined;
    if (first.fingerprint !== fingerprint) throw requestIdReused();
    return { payment: paymentMessage(first) };
  };

  const earlier = await replay();
  if (earlier) return earlier;
  try {
    return await inTransaction(db, async (tx) => {
      const credited = await tx.$queryRaw<{ balance_fen: bigint }[]>`
        UPDATE account SET balance_fen = balance_fen + ${request.amountFen}, updated_at = now()
        WHERE subscriber_id = ${request.subscriberId}
        RETURNING balance_fen`;
      if (credited.length === 0) throw accountNotFound();
      const row = await tx.payment.create({
        data: {
          id: newId("pay"),
          requestId: request.requestId,
          fingerprint,
          subscriberId: request.subscriberId,
          amountFen: request.amountFen,
          channel,
          paymentMethod,
          balanceAfterFen: credited[0]!.balance_fen,
        },
      });
      const payment = paymentMessage(row);
      await enqueue(tx, PaymentCompleted, { payment }, { headers: eventHeaders(ctx.requestId) });
      ctx.log.info({ paymentId: row.id, amountFen: String(row.amountFen) }, "top-up credited");
      return { payment };
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return (await replay())!;
  }
}
