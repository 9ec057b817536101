import { migratedTestDatabase } from "@omnihall/db/testing";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { UsageDb } from "../database.js";
import { KB, monthly, product, startUsageHarness, unique, usage } from "../testing/usage-harness.js";
import {
  createMonthPartition,
  maintainUsagePartitions,
  monthPartitionOf,
  monthsToHold,
  type PartitionPlan,
} from "./usage-partitions.js";

const DAY = 24 * 3600_000;
const PLAN: PartitionPlan = { maxRecordAgeMs: 92 * DAY, monthsAhead: 2, retentionMs: 180 * DAY };

/** A bare migrated usage database (no service running on it, so nothing but the test changes its partitions). */
async function bareDatabase() {
  const database = await migratedTestDatabase(new URL("../..", import.meta.url));
  const db = new UsageDb(database.url, { poolSize: 2 });
  onTestFinished(() => db.close());
  return { url: database.url, db };
}

async function partitionsOf(db: UsageDb): Promise<string[]> {
  const rows = await db.query<{ name: string }>(
    `SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
      WHERE i.inhparent = 'usage_record'::regclass`,
  );
  return rows.map((r) => r.name).sort();
}

/** Where each record is stored: the partition's name, by record id. */
async function placesOf(db: UsageDb): Promise<Record<string, string>> {
  const rows = await db.query<{ record_id: string; partition: string }>(
    `SELECT record_id, tableoid::regclass::text AS partition FROM usage_record`,
  );
  return Object.fromEntries(rows.map((r) => [r.record_id, r.partition]));
}

const insertRecords = (db: UsageDb, records: Array<{ id: string; time: string }>) =>
  db.query(
    `INSERT INTO usage_record (source, record_id, subscriber_id, unit, quantity, usage_time, province_code,
                               roaming_country_code)
     SELECT 't', id, 'sub_1', 1, 1, time, 'GD', '' FROM unnest($1::text[], $2::timestamptz[]) AS v(id, time)`,
    [records.map((r) => r.id), records.map((r) => r.time)],
  );

describe("usage_record partitioned by month", () => {
  it("the service makes this month's partition on start; records land in their month's partition and a resend counts once", async () => {
    const harness = await startUsageHarness();
    const db = new UsageDb(harness.databaseUrl, { poolSize: 1 });
    onTestFinished(() => db.close());
    const now = new Date();
    const thisMonth = monthPartitionOf(now).name;
    await vi.waitFor(async () => expect(await partitionsOf(db)).toContain(thisMonth), { timeout: 10_000 });

    const subscriberId = `sub_${unique()}`;
    await harness.activate(product(subscriberId, [monthly(KB, 1_000_000n)]));
    await vi.waitFor(() => harness.client.getUsageSummary({ subscriberId, asOfTime: undefined }), {
      timeout: 10_000,
      interval: 50,
    });
    // The last millisecond of the previous month (UTC) and a minute ago: two partitions.
    const lastMonthTime = new Date(monthPartitionOf(now).start.getTime() - 1);
    const records = [
      usage(subscriberId, KB, 100n, { recordId: `r-${unique()}`, usageTime: lastMonthTime }),
      usage(subscriberId, KB, 200n, { recordId: `r-${unique()}` }),
    ];
    const first = await harness.client.ingestUsage({ requestId: `req-${unique()}`, records });
    expect(first.result).toMatchObject({ acceptedCount: 2n, duplicateCount: 0n, rejectedCount: 0n });
    expect(await placesOf(db)).toEqual({
      [records[0]!.recordId]: monthPartitionOf(lastMonthTime).name,
      [records[1]!.recordId]: thisMonth,
    });

    // Mediation resends the same CDRs (same usage times) under a new request id: neither counts again.
    const resent = await harness.client.ingestUsage({ requestId: `req-${unique()}`, records });
    expect(resent.result).toMatchObject({ acceptedCount: 0n, duplicateCount: 2n, rejectedCount: 0n });
    expect(await db.query(`SELECT count(*)::int AS count FROM usage_record`)).toEqual([{ count: 2 }]);
  });

  it("a record for a month without a partition goes to DEFAULT and moves into the month's partition when it is made", async () => {
    const { db } = await bareDatabase();
    await insertRecords(db, [
      { id: "in-march", time: "2020-03-31T23:59:59.999Z" },
      { id: "in-april", time: "2020-04-01T00:00:00Z" },
    ]);
    expect(await placesOf(db)).toEqual({ "in-march": "usage_record_default", "in-april": "usage_record_default" });

    expect(await createMonthPartition(db, monthPartitionOf(new Date("2020-03-15T00:00:00Z")))).toBe(true);
    expect(await placesOf(db)).toEqual({ "in-march": "usage_record_p202003", "in-april": "usage_record_default" });
    // Made once: a second call finds it.
    expect(await createMonthPartition(db, monthPartitionOf(new Date("2020-03-15T00:00:00Z")))).toBe(false);
    // The moved row keeps its dedupe: the same record again is a conflict, not a second row.
    const again = await db.query(
      `INSERT INTO usage_record (source, record_id, subscriber_id, unit, quantity, usage_time, province_code,
                                 roaming_country_code)
       VALUES ('t', 'in-march', 'sub_1', 1, 1, '2020-03-31T23:59:59.999Z', 'GD', '')
       ON CONFLICT DO NOTHING RETURNING record_id`,
    );
    expect(again).toEqual([]);
  });

  it("two instances making partitions at once make each one once, without an error", async () => {
    const { url, db } = await bareDatabase();
    const other = new UsageDb(url, { poolSize: 2 });
    onTestFinished(() => other.close());
    const now = new Date("2026-07-15T12:00:00Z");
    const held = monthsToHold(now, PLAN).map((m) => m.name);
    expect(held).toEqual([
      "usage_record_p202604",
      "usage_record_p202605",
      "usage_record_p202606",
      "usage_record_p202607",
      "usage_record_p202608",
      "usage_record_p202609",
    ]);
    // A record already in DEFAULT for a month about to get its partition.
    await insertRecords(db, [{ id: "early", time: "2026-07-02T00:00:00Z" }]);

    const [one, two] = await Promise.all([
      maintainUsagePartitions(db, PLAN, now),
      maintainUsagePartitions(other, PLAN, now),
    ]);
    expect([...one.created, ...two.created].sort()).toEqual(held);
    expect(await partitionsOf(db)).toEqual(["usage_record_default", ...held]);
    expect(await placesOf(db)).toEqual({ early: "usage_record_p202607" });
    // The next day's round finds nothing to do.
    expect(await maintainUsagePartitions(db, PLAN, new Date(now.getTime() + DAY))).toEqual({
      created: [],
      dropped: [],
    });
  });

  it("retention drops only the months entirely older than the cut-off", async () => {
    const { db } = await bareDatabase();
    for (const month of ["2025-12-10", "2026-01-10", "2026-02-10"]) {
      await createMonthPartition(db, monthPartitionOf(new Date(`${month}T00:00:00Z`)));
    }
    await db.query(`CREATE TABLE usage_record_by_hand PARTITION OF usage_record
                      FOR VALUES FROM ('2025-06-01T00:00:00Z') TO ('2025-07-01T00:00:00Z')`);
    await insertRecords(db, [
      { id: "december", time: "2025-12-31T23:00:00Z" },
      { id: "early-january", time: "2026-01-02T00:00:00Z" },
      { id: "late-january", time: "2026-01-31T00:00:00Z" },
      { id: "february", time: "2026-02-10T00:00:00Z" },
      { id: "by-hand", time: "2025-06-10T00:00:00Z" },
      { id: "default", time: "2020-01-01T00:00:00Z" },
    ]);

    // 180 days before 2026-07-15 is 2026-01-16: December is wholly older, January only in part.
    const now = new Date("2026-07-15T00:00:00Z");
    const { dropped } = await maintainUsagePartitions(db, PLAN, now);
    expect(dropped).toEqual(["usage_record_p202512"]);
    expect(Object.keys(await placesOf(db)).sort()).toEqual([
      "by-hand",
      "default",
      "early-january",
      "february",
      "late-january",
    ]);
    expect(await partitionsOf(db)).toEqual(expect.arrayContaining(["usage_record_p202601", "usage_record_by_hand"]));
    expect(await partitionsOf(db)).not.toContain("usage_record_p202512");

    // Once all of January is past the cut-off, it goes too.
    const later = await maintainUsagePartitions(db, PLAN, new Date("2026-07-31T00:00:00Z"));
    expect(later.dropped).toEqual(["usage_record_p202601"]);
  });
});
