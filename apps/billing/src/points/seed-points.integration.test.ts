import { createBillingDb } from "../db.js";
import { migratedTestDatabase } from "@omnihall/db/testing";
import { describe, expect, it, onTestFinished } from "vitest";
import { seedBilling } from "../seed.js";
import { DEMO_REWARDS } from "./demo-rewards.js";

describe("demo points", () => {
  it("seed the catalog and balances that agree with their lots and statements, once", async () => {
    const database = await migratedTestDatabase(new URL("../../", import.meta.url));
    const db = createBillingDb(database.url, 2);
    onTestFinished(() => db.$disconnect());
    const now = new Date("2026-11-22T00:00:00Z");

    expect(await seedBilling(db, { subscribers: 50, now })).toBe(true);
    expect(await seedBilling(db, { subscribers: 50, now })).toBe(false);

    expect(await db.reward.count()).toBe(DEMO_REWARDS.length);
    const mismatched = await db.$queryRaw<{ subscriber_id: string }[]>`
      SELECT a.subscriber_id FROM account a
      LEFT JOIN (SELECT subscriber_id, sum(remaining_points) AS points FROM points_lot GROUP BY subscriber_id) l
        ON l.subscriber_id = a.subscriber_id
      LEFT JOIN (SELECT subscriber_id, sum(points) AS points FROM points_transaction GROUP BY subscriber_id) t
        ON t.subscriber_id = a.subscriber_id
      WHERE a.points_balance <> coalesce(l.points, 0) OR a.points_balance <> coalesce(t.points, 0)`;
    expect(mismatched).toEqual([]);
    // Every demo subscriber has been on a plan for months: everyone has points, some enough for a voucher.
    expect(await db.account.count({ where: { pointsBalance: { gt: 0n } } })).toBe(50);
    expect(await db.account.count({ where: { pointsBalance: { gte: 1_000n } } })).toBeGreaterThan(10);
    // Last year's lots expire at the end of this year (China time), this year's at the end of next year.
    const expiries = await db.pointsLot.groupBy({ by: ["expiresAt"], orderBy: { expiresAt: "asc" } });
    expect(expiries.map((e) => e.expiresAt.toISOString())).toEqual([
      "2026-12-31T16:00:00.000Z",
      "2027-12-31T16:00:00.000Z",
    ]);
  });
});
