import { DEMO_PLANS, type DemoSubscriber } from "@omnihall/demo-data";
import { newId } from "@omnihall/ids";
import type { BillingDb } from "../db.js";
import { DEMO_REWARDS } from "./demo-rewards.js";
import { CHINA_OFFSET_MS, pointsEarnedFor, pointsExpiryOf } from "./points-rules.js";

/**
 * Demo points: the catalog (rewards already there are left alone), and — when no subscriber has points yet — the
 * points each demo subscriber with an account would have earned on their plan fee, carried over as two lots: last
 * year's (expiring at this year's end) and this year's. Whole columns through unnest, like the rest of the seed.
 * Returns whether it added anything.
 */
export async function seedPoints(db: BillingDb, subscribers: DemoSubscriber[], now: Date): Promise<boolean> {
  const rewards = await db.reward.createMany({ data: [...DEMO_REWARDS], skipDuplicates: true });
  if ((await db.pointsLot.count()) > 0) return rewards.count > 0;

  const china = new Date(now.getTime() + CHINA_OFFSET_MS);
  const year = china.getUTCFullYear();
  const monthsThisYear = china.getUTCMonth();
  const lastYearEarnedAt = new Date(Date.UTC(year - 1, 11, 1) - CHINA_OFFSET_MS);
  const thisYearEarnedAt = new Date(Date.UTC(year, monthsThisYear, 1) - CHINA_OFFSET_MS);
  const lots = {
    id: [] as string[],
    subscriber: [] as string[],
    points: [] as string[],
    balanceAfter: [] as string[],
    earned: [] as Date[],
    expires: [] as Date[],
    transaction: [] as string[],
  };
  for (const subscriber of subscribers) {
    const plan = DEMO_PLANS.find((p) => p.code === subscriber.planCode) ?? DEMO_PLANS[0]!;
    const feeYuan = pointsEarnedFor(plan.monthlyFeeFen);
    const thisYear = BigInt(Math.min(monthsThisYear, subscriber.tenureMonths));
    const lastYear = BigInt(Math.min(12, Math.max(0, subscriber.tenureMonths - monthsThisYear)));
    let balance = 0n;
    for (const [months, earnedAt] of [
      [lastYear, lastYearEarnedAt],
      [thisYear, thisYearEarnedAt],
    ] as const) {
      if (months === 0n) continue;
      balance += feeYuan * months;
      lots.id.push(newId("plot"));
      lots.subscriber.push(subscriber.subscriberId);
      lots.points.push(String(feeYuan * months));
      lots.balanceAfter.push(String(balance));
      lots.earned.push(earnedAt);
      lots.expires.push(pointsExpiryOf(earnedAt));
      lots.transaction.push(newId("ptx"));
    }
  }
  if (lots.id.length === 0) return rewards.count > 0;
  await db.$transaction(async (tx) => {
    // Only subscribers with an account: points live on the account row.
    await tx.$executeRaw`
      INSERT INTO points_lot (id, subscriber_id, earned_points, remaining_points, earned_at, expires_at)
      SELECT l.id, l.subscriber_id, l.points, l.points, l.earned_at, l.expires_at
      FROM unnest(${lots.id}::text[], ${lots.subscriber}::text[], ${lots.points}::bigint[], ${lots.earned}::timestamptz[],
        ${lots.expires}::timestamptz[]) AS l(id, subscriber_id, points, earned_at, expires_at)
      JOIN account a ON a.subscriber_id = l.subscriber_id`;
    await tx.$executeRaw`
      INSERT INTO points_transaction (id, subscriber_id, kind, points, balance_after, description_zh, description_en, created_at)
      SELECT t.id, t.subscriber_id, 'ADJUST', t.points, t.balance_after, '原积分计划积分转入',
        'Points carried over from the previous loyalty programme', t.created_at
      FROM unnest(${lots.transaction}::text[], ${lots.subscriber}::text[], ${lots.points}::bigint[],
        ${lots.balanceAfter}::bigint[], ${lots.earned}::timestamptz[]) AS t(id, subscriber_id, points, balance_after, created_at)
      JOIN account a ON a.subscriber_id = t.subscriber_id`;
    await tx.$executeRaw`
      UPDATE account a SET points_balance = l.points
      FROM (SELECT subscriber_id, sum(remaining_points) AS points FROM points_lot GROUP BY subscriber_id) l
      WHERE a.subscriber_id = l.subscriber_id`;
  });
  return true;
}
