import { describe, expect, it } from "vitest";
import { migratedTestDatabase } from "@omnihall/db/testing";
import { UsageSummaryDueEvent } from "@omnihall/proto/omnihall/usage/v1/events";
import { createLogger } from "@omnihall/service-kit";
import { UsageDb } from "../database.js";
import { UsageSummaryDue } from "../events.js";
import { recordProduct } from "../products/product-projection.js";
import { ingestBatch } from "../records/ingest-batch.js";
import { IngestTally } from "../records/ingest-tally.js";
import { KB, monthly, product, unique, usage } from "../testing/usage-harness.js";
import { publishDueSummaries } from "./summary-scheduler.js";

async function usageDatabase() {
  const database = await migratedTestDatabase(new URL("../..", import.meta.url));
  const db = new UsageDb(database.url, { poolSize: 2 });
  return db;
}

async function summariesIn(db: UsageDb) {
  const rows = await db.query<{ payload: Buffer }>(
    `SELECT payload FROM outbox_message WHERE subject = $1 ORDER BY id`,
    [UsageSummaryDue.subject],
  );
  return rows.map((r) => UsageSummaryDueEvent.decode(r.payload));
}

describe("publishDueSummaries", () => {
  it("publishes once per subscriber and summary day, from the configured hour in each subscriber's zone", async () => {
    const db = await usageDatabase();
    const log = createLogger("test", { level: "silent" });
    const shanghai = `sub_${unique()}`;
    const urumqi = `sub_${unique()}`;
    await db.$transaction(async (tx) => {
      await recordProduct(tx, product(shanghai, [monthly(KB, 1000n)]), { defaultTimeZone: "Asia/Shanghai", log });
      await recordProduct(tx, product(urumqi, [monthly(KB, 1000n)], { subscriberTimeZone: "Asia/Urumqi" }), {
        defaultTimeZone: "Asia/Shanghai",
        log,
      });
      const tally = new IngestTally();
      await ingestBatch(
        tx,
        [{ index: 0, record: usage(shanghai, KB, 900n, { usageTime: new Date("2026-11-10T00:00:00Z") }), tally }],
        {
          now: new Date("2026-11-16T03:00:00Z"),
          maxClockSkewMs: 0,
          maxRecordAgeMs: 86_400_000 * 30,
          roamingTripGapMs: 0,
        },
      );
    });
    const schedule = { days: [1, 16], hour: 10 };

    // 02:30 UTC on the 16th: 10:30 in Shanghai, 08:30 in Urumqi.
    expect(await publishDueSummaries(db, schedule, new Date("2026-11-16T02:30:00Z"))).toBe(1);
    expect(await publishDueSummaries(db, schedule, new Date("2026-11-16T03:00:00Z"))).toBe(0);
    // 04:30 UTC: 10:30 in Urumqi.
    expect(await publishDueSummaries(db, schedule, new Date("2026-11-16T04:30:00Z"))).toBe(1);
    // Not a summary day.
    expect(await publishDueSummaries(db, schedule, new Date("2026-11-17T04:30:00Z"))).toBe(0);

    const events = await summariesIn(db);
    expect(events.map((e) => [e.subscriberId, e.summaryDate, e.month])).toEqual([
      [shanghai, "2026-11-16", "2026-11"],
      [urumqi, "2026-11-16", "2026-11"],
    ]);
    expect(events[0]!.buckets.map((b) => [b.quota, b.used, b.remaining])).toEqual([[1000n, 900n, 100n]]);
    await db.close();
  });

  it("publishes each summary once when two instances run it at the same moment", async () => {
    const database = await migratedTestDatabase(new URL("../..", import.meta.url));
    const instances = [1, 2].map(() => new UsageDb(database.url, { poolSize: 2 }));
    const prefix = `sub_${unique()}_`;
    // More subscribers than one claim takes, so the two instances' claims interleave.
    await instances[0]!.query(
      `INSERT INTO subscriber (id, time_zone) SELECT $1 || g, 'Asia/Shanghai' FROM generate_series(1, 450) g`,
      [prefix],
    );
    const now = new Date("2026-11-16T02:30:00Z");
    const counts = await Promise.all(instances.map((db) => publishDueSummaries(db, { days: [16], hour: 10 }, now)));

    expect(counts[0]! + counts[1]!).toBe(450);
    const events = await summariesIn(instances[0]!);
    expect(events).toHaveLength(450);
    expect(new Set(events.map((event) => event.subscriberId)).size).toBe(450);
    await Promise.all(instances.map((db) => db.close()));
  });

  it("reports the month that just ended on the 1st", async () => {
    const db = await usageDatabase();
    const log = createLogger("test", { level: "silent" });
    const subscriberId = `sub_${unique()}`;
    await db.$transaction(async (tx) => {
      await recordProduct(tx, product(subscriberId, [monthly(KB, 1000n)]), { defaultTimeZone: "Asia/Shanghai", log });
      const tally = new IngestTally();
      await ingestBatch(
        tx,
        [
          { index: 0, record: usage(subscriberId, KB, 1500n, { usageTime: new Date("2026-11-20T00:00:00Z") }), tally },
          { index: 1, record: usage(subscriberId, KB, 7n, { usageTime: new Date("2026-12-01T01:00:00Z") }), tally },
        ],
        {
          now: new Date("2026-12-01T02:00:00Z"),
          maxClockSkewMs: 0,
          maxRecordAgeMs: 86_400_000 * 30,
          roamingTripGapMs: 0,
        },
      );
    });
    expect(await publishDueSummaries(db, { days: [1], hour: 9 }, new Date("2026-12-01T02:00:00Z"))).toBe(1);
    const [event] = await summariesIn(db);
    expect(event).toMatchObject({ summaryDate: "2026-12-01", month: "2026-11" });
    expect(event!.buckets.map((b) => [b.used, b.remaining])).toEqual([[1500n, 0n]]);
    expect(event!.overages).toEqual([{ unit: KB, roamingCountryCode: "", quantity: 500n }]);
    await db.close();
  });
});
