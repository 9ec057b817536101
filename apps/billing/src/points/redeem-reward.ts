import { enqueue } from "@omnihall/bus";
import { isUniqueViolation } from "@omnihall/db";
import { newId } from "@omnihall/ids";
import { PaymentMethod } from "@omnihall/proto/omnihall/billing/v1/billing";
import type { RedeemRewardRequest, RedeemRewardResponse } from "@omnihall/proto/omnihall/billing/v1/points";
import type { CallContext } from "@omnihall/service-kit";
import type { WhereaboutsOf } from "../access/subscriber-scope.js";
import { inTransaction, type BillingDb, type BillingTx } from "../db.js";
import { channelName, paymentMethodName } from "../enum-names.js";
import { accountNotFound, channelRequired, requestIdReused, requireRequestId, requireSubscriberId } from "../errors.js";
import { eventHeaders, PaymentCompleted, PointsRedeemed } from "../events.js";
import { fingerprintOf } from "../fingerprint.js";
import { paymentMessage } from "../payments/payment-message.js";
import {
  insufficientPoints,
  requireProvinceCodeShape,
  requireQuantity,
  requireRewardCode,
  rewardNotAvailable,
  rewardNotFound,
  rewardOutOfStock,
} from "./points-errors.js";
import { spendPoints } from "./points-ledger.js";
import { redemptionMessage } from "./points-messages.js";

const POINTS_PAYMENT_METHOD = paymentMethodName(PaymentMethod.PAYMENT_METHOD_POINTS)!;

/**
 * Spends points on a reward, once per request_id (the redemption row is the idempotency record). Where the reward
 * is offered is checked against the subscriber's home province as the customer service has it, never a province
 * the caller names. One transaction holds the subscriber's account row lock, so a concurrent duplicate waits, then
 * finds the first redemption and answers with it; the reward row lock serialises its stock across subscribers (locks always in that order).
 */
export async function redeemReward(
  db: BillingDb,
  request: RedeemRewardRequest,
  ctx: CallContext,
  whereabouts: WhereaboutsOf,
  now = () => new Date(),
): Promise<RedeemRewardResponse> {
  requireRequestId(request.requestId);
  requireSubscriberId(request.subscriberId);
  requireRewardCode(request.rewardCode);
  requireQuantity(request.quantity);
  const channel = channelName(request.channel);
  if (!channel) throw channelRequired();
  requireProvinceCodeShape(request.provinceCode);
  const fingerprint = fingerprintOf({
    subscriberId: request.subscriberId,
    rewardCode: request.rewardCode,
    quantity: request.quantity,
    channel,
    provinceCode: request.provinceCode,
  });

  const replay = async (client: Pick<BillingDb, "redemption" | "payment"> = db) => {
    const first = await client.redemption.findUnique({ where: { requestId: request.requestId } });
    if (!first) return undefined;
    if (first.fingerprint !== fingerprint) throw requestIdReused();
    const payment = first.paymentId ? await client.payment.findUnique({ where: { id: first.paymentId } }) : null;
    return { redemption: redemptionMessage(first), payment: payment ? paymentMessage(payment) : undefined };
  };

  const earlier = await replay();
  if (earlier) return earlier;
  // Only a reward offered in some provinces needs the subscriber's home, asked before the transaction so that no
  // row lock is held across a network call.
  const offered = await db.reward.findUnique({ where: { code: request.rewardCode }, select: { provinceCodes: true } });
  const home = offered && offered.provinceCodes.length > 0 ? await whereabouts(request.subscriberId) : undefined;
  try {
    return await inTransaction(db, async (tx) => {
      const [account] = await tx.$queryRaw<{ subscriber_id: string }[]>`
        SELECT subscriber_id FROM account WHERE subscriber_id = ${request.subscriberId} FOR UPDATE`;
      if (!account) throw accountNotFound();
      // A concurrent duplicate that held the lock before us has committed by now.
      const duplicate = await replay(tx);
      if (duplicate) return duplicate;
      return await redeem(tx, request, { channel, fingerprint, provinceCode: home?.provinceCode, now: now() }, ctx);
    });
  } catch (error) {
    if (!isUniqueViolation(error)) throw error;
    return (await replay())!;
  }
}

async function redeem(
  tx: BillingTx,
  request: RedeemRewardRequest,
  checked: { channel: string; fingerprint: string; provinceCode: string | undefined; now: Date },
  ctx: CallContext,
): Promise<RedeemRewardResponse> {
  const [reward] = await tx.$queryRaw<{ code: string }[]>`
    SELECT code FROM reward WHERE code = ${request.rewardCode} FOR UPDATE`;
  if (!reward) throw rewardNotFound();
  const row = await tx.reward.findUniqueOrThrow({ where: { code: request.rewardCode } });
  const offeredHere =
    row.provinceCodes.length === 0 ||
    (checked.provinceCode !== undefined && row.provinceCodes.includes(checked.provinceCode));
  if (!row.active || !offeredHere) throw rewardNotAvailable();
  const quantity = BigInt(request.quantity);
  if (row.stock !== null && row.stock < quantity) throw rewardOutOfStock(row.stock);

  const redemptionId = newId("rdm");
  const points = row.pointsCost * quantity;
  const spending = await spendPoints(
    tx,
    {
      subscriberId: request.subscriberId,
      points,
      redemptionId,
      descriptionZh: `积分兑换：${row.nameZh} × ${quantity}`,
      descriptionEn: `Redeemed: ${row.nameEn} × ${quantity}`,
    },
    checked.now,
  );
  if (!spending.spent) throw insufficientPoints(spending.available, points);
  if (row.stock !== null) {
    await tx.reward.update({ where: { code: row.code }, data: { stock: row.stock - quantity } });
  }

  const isCredit = row.kind === "BALANCE_CREDIT";
  const creditFen = isCredit ? row.creditFen * quantity : 0n;
  const paymentRow = isCredit ? await creditBalance(tx, request, redemptionId, creditFen, checked.channel) : undefined;
  const redemptionRow = await tx.redemption.create({
    data: {
      id: redemptionId,
      requestId: request.requestId,
      fingerprint: checked.fingerprint,
      subscriberId: request.subscriberId,
      rewardCode: row.code,
      rewardNameZh: row.nameZh,
      rewardNameEn: row.nameEn,
      rewardKind: row.kind,
      quantity: request.quantity,
      points,
      creditFen,
      paymentId: paymentRow?.id ?? null,
      status: isCredit ? "COMPLETED" : "PLACED",
      channel: checked.channel,
      pointsBalanceAfter: spending.balanceAfter,
    },
  });
  const redemption = redemptionMessage(redemptionRow);
  const payment = paymentRow ? paymentMessage(paymentRow) : undefined;
  await enqueue(tx, PointsRedeemed, { redemption }, { headers: eventHeaders(ctx.requestId) });
  if (payment) await enqueue(tx, PaymentCompleted, { payment }, { headers: eventHeaders(ctx.requestId) });
  ctx.log.info({ redemptionId, rewardCode: row.code, points: String(points) }, "points redeemed");
  return { redemption, payment };
}

/**
 * The money side of a balance-credit reward: a payment of method POINTS, so the credit shows in ListPayments and
 * explains the balance like any top-up. Its request_id is the redemption id: unique, and never a caller's key.
 */
async function creditBalance(
  tx: BillingTx,
  request: RedeemRewardRequest,
  redemptionId: string,
  creditFen: bigint,
  channel: string,
) {
  const [credited] = await tx.$queryRaw<{ balance_fen: bigint }[]>`
    UPDATE account SET balance_fen = balance_fen + ${creditFen}, updated_at = now()
    WHERE subscriber_id = ${request.subscriberId}
    RETURNING balance_fen`;
  return tx.payment.create({
    data: {
      id: newId("pay"),
      requestId: redemptionId,
      fingerprint: fingerprintOf({ redemptionId }),
      subscriberId: request.subscriberId,
      amountFen: creditFen,
      channel,
      paymentMethod: POINTS_PAYMENT_METHOD,
      balanceAfterFen: credited!.balance_fen,
    },
  });
}
