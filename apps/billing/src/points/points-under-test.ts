import { newId } from "@omnihall/ids";
import { PointsServiceClient } from "@omnihall/proto/omnihall/billing/v1/points";
import { randomUUID } from "node:crypto";
import type { Reward } from "../generated/prisma/client.js";
import { billingUnderTest } from "../testing/billing-under-test.js";
import { pointsExpiryOf } from "./points-rules.js";

/** The real billing service for one test, with a PointsService client beside the BillingService one. */
export async function pointsUnderTest(env: Record<string, string> = {}) {
  const billing = await billingUnderTest(env);
  const points = billing.clientAs(PointsServiceClient, "web-hall", billing.subscriberParty);

  /** Gives a subscriber a lot of points earned at `earnedAt`, as operations would (an ADJUST transaction). */
  async function grant(subscriberId: string, amount: bigint, earnedAt = new Date()): Promise<void> {
    await billing.db.$transaction(async (tx) => {
      await tx.pointsLot.create({
        data: {
          id: newId("plot"),
          subscriberId,
          earnedPoints: amount,
          remainingPoints: amount,
          earnedAt,
          expiresAt: pointsExpiryOf(earnedAt),
        },
      });
      const account = await tx.account.update({
        where: { subscriberId },
        data: { pointsBalance: { increment: amount } },
      });
      await tx.pointsTransaction.create({
        data: {
          id: newId("ptx"),
          subscriberId,
          kind: "ADJUST",
          points: amount,
          balanceAfter: account.pointsBalance,
          descriptionZh: "测试赠送积分",
          descriptionEn: "Test points",
        },
      });
    });
  }

  /** A subscriber (of Guangdong, unless told) with `balanceFen` and `pointsBalance` points earned now. */
  async function member(pointsBalance: bigint, balanceFen = 0n, provinceCode = "GD"): Promise<string> {
    const subscriberId = await billing.account(balanceFen, { provinceCode });
    if (pointsBalance > 0n) await grant(subscriberId, pointsBalance);
    return subscriberId;
  }

  /** A reward of the test's own (a unique code), by default an unlimited nationwide ¥10 voucher for 1000 points. */
  async function reward(overrides: Partial<Reward> = {}): Promise<Reward> {
    return billing.db.reward.create({
      data: {
        code: `TEST_${randomUUID().slice(0, 8).toUpperCase()}`,
        nameZh: "10 元话费券",
        nameEn: "¥10 balance voucher",
        kind: "BALANCE_CREDIT",
        pointsCost: 1_000n,
        creditFen: 1_000n,
        stock: null,
        provinceCodes: [],
        active: true,
        ...overrides,
      },
    });
  }

  return { ...billing, points, grant, member, reward };
}
