/**
 * Ingest throughput: usage records per second through the real gRPC StreamUsage into real PostgreSQL, with
 * buckets, draw-down, threshold detection and reminder events (through the outbox) all on. Prints its figures;
 * never fails on speed. Needs PostgreSQL (DATABASE_URL: any database on the server, default the local one); makes
 * and drops its own database there.
 *
 *     npm run bench -w @omnihall/usage        # BENCH_SUBSCRIBERS, BENCH_RECORDS, BENCH_STREAMS to vary
 */
import { randomBytes } from "node:crypto";
import { InProcessBus } from "@omnihall/bus";
import { createServiceClient } from "@omnihall/channel-client";
import { developmentCallerKey } from "@omnihall/config";
import { databaseUrlFor, dropDatabase, maintenanceUrl, migrateDeploy } from "@omnihall/db";
import { AllowanceRecurrence, AllowanceUnit } from "@omnihall/proto/omnihall/catalog/v1/allowance";
import { UsageServiceClient, type UsageRecord } from "@omnihall/proto/omnihall/usage/v1/usage";
import { createLogger } from "@omnihall/service-kit";
import { monthOf } from "../src/buckets/calendar.js";
import { ProductActivated, QuotaThresholdCrossed } from "../src/events.js";
import { UsageDb } from "../src/database.js";
import { loadUsageConfig, startUsageService, usageMigrations } from "../src/index.js";

const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 5_000);
const RECORDS = Number(process.env.BENCH_RECORDS ?? 300_000);
const STREAMS = Number(process.env.BENCH_STREAMS ?? 4);
const CHUNK = 500;
const QUOTA_KB = 10_000n;

const adminUrl = maintenanceUrl(process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres");
const databaseName = `omnihall_usage_bench_${randomBytes(4).toString("hex")}`;
const databaseUrl = databaseUrlFor(adminUrl, databaseName);
const logger = createLogger("usage-bench", { level: "warn" });

await migrateDeploy({ ...usageMigrations, databaseUrl, adminUrl });
const bus = new InProcessBus({ logger });
const config = loadUsageConfig({ ...process.env, PORT: "0", DATABASE_URL: databaseUrl, LOG_LEVEL: "warn" });
const service = await startUsageService({ config, bus, logger });
const db = new UsageDb(databaseUrl, { poolSize: 1 });
const client = createServiceClient(UsageServiceClient, {
  address: service.address,
  caller: "platform",
  credential: developmentCallerKey("platform"),
  defaultDeadlineMs: 600_000,
});

try {
  // Every subscriber holds a plan with a monthly data allowance, as orders would announce it.
  const subscriberIds = Array.from({ length: SUBSCRIBERS }, (_, i) => `sub_bench${String(i).padStart(7, "0")}`);
  for (const [i, subscriberId] of subscriberIds.entries()) {
    const product = {
      productId: `prd_bench${i}`,
      subscriberId,
      orderId: "",
      offeringCode: "PLAN_BENCH",
      offeringName: { zhCn: "压测套餐", en: "Bench plan" },
      allowances: [
        {
          unit: AllowanceUnit.ALLOWANCE_UNIT_DATA_KB,
          quantity: QUOTA_KB,
          recurrence: AllowanceRecurrence.ALLOWANCE_RECURRENCE_MONTHLY,
          roamingCountryCode: "",
        },
      ],
      startTime: new Date("2026-01-01T00:00:00Z"),
      endTime: undefined,
      trial: false,
      subscriberTimeZone: "Asia/Shanghai",
    };
    await bus.publish(ProductActivated.subject, ProductActivated.codec.encode({ product }).finish(), {
      msgId: `evt_bench${i}`,
    });
  }
  const count = async (sql: string) => Number((await db.query<{ n: string }>(sql))[0]!.n);
  while ((await count("SELECT count(*) AS n FROM subscriber")) < SUBSCRIBERS) {
    await new Promise((resolve) => setTimeout(resolve, 200));
  }

  // Records spread over this month; on average a subscriber uses ~120% of the quota, so most cross 80% and 100%.
  const monthStart = monthOf(new Date(), "Asia/Shanghai").start.getTime();
  const span = Date.now() - 60_000 - monthStart;
  const meanKb = Number((QUOTA_KB * 12n) / 10n) / (RECORDS / SUBSCRIBERS);
  const records: UsageRecord[] = Array.from({ length: RECORDS }, (_, i) => ({
    source: `ggsn-${i % 8}`,
    recordId: `b${i}`,
    subscriberId: subscriberIds[Math.floor(Math.random() * SUBSCRIBERS)]!,
    unit: AllowanceUnit.ALLOWANCE_UNIT_DATA_KB,
    quantity: BigInt(Math.max(1, Math.round(meanKb * 2 * Math.random()))),
    usageTime: new Date(monthStart + Math.floor(Math.random() * span)),
    provinceCode: "GD",
    roamingCountryCode: "",
    ingestTime: undefined,
  }));
  const streams = Array.from({ length: STREAMS }, (_, s) => {
    const mine = records.filter((_, i) => i % STREAMS === s);
    return Array.from({ length: Math.ceil(mine.length / CHUNK) }, (_, c) => ({
      records: mine.slice(c * CHUNK, (c + 1) * CHUNK),
    }));
  });

  const started = performance.now();
  const results = await Promise.all(streams.map((chunks) => client.streamUsage(chunks)));
  const seconds = (performance.now() - started) / 1000;
  const accepted = results.reduce((sum, r) => sum + Number(r.result!.acceptedCount), 0);

  const crossings = await count("SELECT count(*) AS n FROM threshold_crossing");
  let published = 0;
  await bus.subscribe({ durable: "bench--thresholds", subjects: [QuotaThresholdCrossed.subject] }, async (d) => {
    published++;
    d.ack();
  });
  const publishDeadline = Date.now() + 60_000;
  while (published < crossings && Date.now() < publishDeadline) await new Promise((r) => setTimeout(r, 100));

  console.log(
    [
      `usage ingest: ${accepted.toLocaleString("en")} records from ${SUBSCRIBERS.toLocaleString("en")} subscribers ` +
        `over ${STREAMS} gRPC streams in ${seconds.toFixed(2)} s`,
      `  => ${Math.round(accepted / seconds).toLocaleString("en")} records/s (target >= 50,000), ` +
        `buckets + threshold detection on`,
      `  reminders: ${crossings.toLocaleString("en")} threshold events (80%/100%/200%…) recorded, ` +
        `${published.toLocaleString("en")} published on the bus`,
    ].join("\n"),
  );
} finally {
  client.close();
  await db.close();
  await service.stop();
  await bus.close();
  await dropDatabase(adminUrl, databaseName);
}
process.exit(0);
