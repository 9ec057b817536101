import { PointsTransactionKind } from "@omnihall/proto/omnihall/billing/v1/points";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { pointsUnderTest } from "./points-under-test.js";

const chargeOf = (subscriberId: string, amountFen: bigint) => {
  const orderId = `ord_${randomUUID().slice(0, 8)}`;
  return {
    requestId: `${orderId}:charge`,
    subscriberId,
    orderId,
    amountFen,
    description: { zhCn: "5G 智享套餐", en: "5G Smart plan" },
    channel: Channel.CHANNEL_WEB_HALL,
  };
};

describe("points earned by charges", () => {
  it("earn 1 point per whole yuan with the charge, once however often it is retried, and reverse on refund", async () => {
    const billing = await pointsUnderTest();
    const subscriberId = await billing.account(100_000n);
    const request = chargeOf(subscriberId, 5_999n);

    const charges = await Promise.all(Array.from({ length: 5 }, () => billing.orders.createCharge(request)));
    const chargeId = charges[0]!.charge!.chargeId;
    expect(new Set(charges.map((c) => c.charge!.chargeId)).size).toBe(1);
    expect((await billing.points.getPointsBalance({ subscriberId })).points).toBe(59n);

    await Promise.all([
      billing.orders.refundCharge({ requestId: "refund-1", chargeId }),
      billing.orders.refundCharge({ requestId: "refund-2", chargeId }),
    ]);
    expect((await billing.points.getPointsBalance({ subscriberId })).points).toBe(0n);

    const { transactions } = await billing.points.listPointsTransactions({ subscriberId, pageSize: 0, pageToken: "" });
    expect(transactions.map((t) => [t.kind, t.points, t.balanceAfter, t.chargeId])).toEqual([
      [PointsTransactionKind.POINTS_TRANSACTION_KIND_REVERSE, -59n, 0n, chargeId],
      [PointsTransactionKind.POINTS_TRANSACTION_KIND_EARN, 59n, 59n, chargeId],
    ]);
    expect(transactions[1]!.description).toEqual({ zhCn: "消费积分：5G 智享套餐", en: "Points for 5G Smart plan" });
  });

  it("earn nothing below one yuan, and nothing for a charge refused for the balance", async () => {
    const billing = await pointsUnderTest();
    const subscriberId = await billing.account(150n);
    await billing.orders.createCharge(chargeOf(subscriberId, 99n));
    await expect(billing.orders.createCharge(chargeOf(subscriberId, 500n))).rejects.toMatchObject({
      reason: "INSUFFICIENT_BALANCE",
    });
    expect((await billing.points.getPointsBalance({ subscriberId })).points).toBe(0n);
    expect(await billing.db.pointsTransaction.count({ where: { subscriberId } })).toBe(0);
  });

  it("on refund take back points already spent from other lots, never below zero", async () => {
    const billing = await pointsUnderTest();
    const subscriberId = await billing.account(1_000_000n);
    await billing.grant(subscriberId, 300n, new Date(Date.now() - 60_000));
    const { charge } = await billing.orders.createCharge(chargeOf(subscriberId, 200_000n)); // earns 2000
    const voucher = await billing.reward({ pointsCost: 2_100n }); // spends all 300 granted, then 1800 of the charge's
    await billing.points.redeemReward({
      requestId: randomUUID(),
      subscriberId,
      rewardCode: voucher.code,
      quantity: 1,
      channel: Channel.CHANNEL_WEB_HALL,
      provinceCode: "GD",
    });
    expect((await billing.points.getPointsBalance({ subscriberId })).points).toBe(200n);

    // 1800 of the charge's 2000 points are spent and no other lot holds any: only the 200 left come back.
    await billing.orders.refundCharge({ requestId: randomUUID(), chargeId: charge!.chargeId });
    expect((await billing.points.getPointsBalance({ subscriberId })).points).toBe(0n);
    const [reverse] = (await billing.points.listPointsTransactions({ subscriberId, pageSize: 1, pageToken: "" }))
      .transactions;
    expect(reverse).toMatchObject({ kind: PointsTransactionKind.POINTS_TRANSACTION_KIND_REVERSE, points: -200n });

    // With other points to take from, the spent part is taken back too. The grant is earned next year, so it
    // expires after the charge's points, which the redemption therefore spends first.
    const nextYear = new Date(Date.now() + 366 * 24 * 3600 * 1000);
    await billing.grant(subscriberId, 5_000n, nextYear);
    const second = await billing.orders.createCharge(chargeOf(subscriberId, 100_000n)); // earns 1000
    await billing.points.redeemReward({
      requestId: randomUUID(),
      subscriberId,
      rewardCode: voucher.code,
      quantity: 1,
      channel: Channel.CHANNEL_WEB_HALL,
      provinceCode: "GD",
    }); // all 1000 of the charge's points, then 1100 of the grant
    await billing.orders.refundCharge({ requestId: randomUUID(), chargeId: second.charge!.chargeId });
    expect((await billing.points.getPointsBalance({ subscriberId })).points).toBe(5_000n - 1_100n - 1_000n);
    const lots = await billing.db.pointsLot.findMany({ where: { subscriberId, remainingPoints: { gt: 0n } } });
    expect(lots.map((lot) => [lot.earnedPoints, lot.remainingPoints])).toEqual([[5_000n, 2_900n]]);
  });
});
