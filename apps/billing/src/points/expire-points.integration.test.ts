import { PointsTransactionKind } from "@omnihall/proto/omnihall/billing/v1/points";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { expirePoints } from "./expire-points.js";
import { pointsUnderTest } from "./points-under-test.js";
import { CHINA_OFFSET_MS } from "./points-rules.js";

/**
 * Years relative to today's (China time), since redemptions and balances run on the service's clock: points earned
 * in year Y expire at the end of Y+1.
 */
const THIS_YEAR = new Date(Date.now() + CHINA_OFFSET_MS).getUTCFullYear();
const midYear = (year: number) => new Date(`${year}-06-01T00:00:00+08:00`);
const endOf = (year: number) => new Date(`${year + 1}-01-01T00:00:00+08:00`);

describe("points expiry", () => {
  it("expires due lots exactly once, however many sweeps run at once or again", async () => {
    const billing = await pointsUnderTest();
    const subscriberId = await billing.account(0n);
    const other = await billing.account(0n);
    await billing.grant(subscriberId, 300n, midYear(THIS_YEAR - 1));
    await billing.grant(subscriberId, 500n, midYear(THIS_YEAR));
    await billing.grant(other, 40n, midYear(THIS_YEAR - 1));

    // A moment before the end of this year nothing is due.
    expect(await expirePoints(billing.db, { now: new Date(endOf(THIS_YEAR).getTime() - 1) })).toEqual({
      subscribers: 0,
      points: 0n,
    });
    const sweeps = await Promise.all(
      Array.from({ length: 4 }, () => expirePoints(billing.db, { now: endOf(THIS_YEAR), batchSize: 1 })),
    );
    expect(sweeps.reduce((sum, sweep) => sum + sweep.points, 0n)).toBe(340n);
    expect(await expirePoints(billing.db, { now: endOf(THIS_YEAR) })).toEqual({ subscribers: 0, points: 0n });

    const balance = await billing.points.getPointsBalance({ subscriberId });
    expect(balance.points).toBe(500n);
    expect((await billing.points.getPointsBalance({ subscriberId: other })).points).toBe(0n);
    const { transactions } = await billing.points.listPointsTransactions({ subscriberId, pageSize: 1, pageToken: "" });
    expect(transactions[0]).toMatchObject({
      kind: PointsTransactionKind.POINTS_TRANSACTION_KIND_EXPIRE,
      points: -300n,
      balanceAfter: 500n,
      description: { zhCn: "积分到期清零", en: "Points expired" },
    });
    expect(await billing.db.pointsTransaction.count({ where: { kind: "EXPIRE" } })).toBe(2);
  });

  it("spends the soonest-expiring points first, so expiry takes only what is left of the oldest", async () => {
    const billing = await pointsUnderTest();
    const subscriberId = await billing.account(0n);
    // Granted newest first: the order of spending follows expiry, not insertion.
    await billing.grant(subscriberId, 1_000n, midYear(THIS_YEAR + 1));
    await billing.grant(subscriberId, 600n, midYear(THIS_YEAR));
    await billing.grant(subscriberId, 400n, midYear(THIS_YEAR - 1));
    const before = await billing.points.getPointsBalance({ subscriberId });
    expect(before).toMatchObject({ points: 2_000n, expiringPoints: 400n, expireTime: endOf(THIS_YEAR) });

    const gift = await billing.reward({ kind: "MERCHANDISE", creditFen: 0n, pointsCost: 700n });
    await billing.points.redeemReward({
      requestId: randomUUID(),
      subscriberId,
      rewardCode: gift.code,
      quantity: 1,
      channel: Channel.CHANNEL_WEB_HALL,
      provinceCode: "BJ",
    });
    // 400 from last year's lot, then 300 of this year's; 300 of this year's and all of next year's remain.
    const lots = await billing.db.pointsLot.findMany({ where: { subscriberId }, orderBy: { expiresAt: "asc" } });
    expect(lots.map((lot) => lot.remainingPoints)).toEqual([0n, 300n, 1_000n]);

    // This year's lot is due at the end of next year: only its 300 left expire.
    expect(await expirePoints(billing.db, { now: endOf(THIS_YEAR + 1) })).toEqual({ subscribers: 1, points: 300n });
    expect((await billing.points.getPointsBalance({ subscriberId })).points).toBe(1_000n);
  });

  it("expires due points before a redemption spends them, even if no sweep ran yet", async () => {
    const billing = await pointsUnderTest();
    const subscriberId = await billing.account(0n);
    // Earned two years ago: due since the end of last year, and no sweep has run in this test's database. The
    // balance already leaves out points past their expiry.
    await billing.grant(subscriberId, 5_000n, midYear(THIS_YEAR - 2));
    await billing.grant(subscriberId, 200n);
    expect((await billing.points.getPointsBalance({ subscriberId })).points).toBe(200n);
    const voucher = await billing.reward();
    await expect(
      billing.points.redeemReward({
        requestId: randomUUID(),
        subscriberId,
        rewardCode: voucher.code,
        quantity: 1,
        channel: Channel.CHANNEL_WEB_HALL,
        provinceCode: "ZJ",
      }),
    ).rejects.toMatchObject({ reason: "INSUFFICIENT_POINTS", metadata: { points: "200" } });
    // The refused redemption rolled back whole, expiry included; the sweep still finds the lot due.
    expect(await expirePoints(billing.db)).toEqual({ subscribers: 1, points: 5_000n });
  });
});
