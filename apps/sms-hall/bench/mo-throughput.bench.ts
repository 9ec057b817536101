/**
 * `npm run bench -w @omnihall/sms-hall`: texts to the service number handled end to end with their replies, per
 * second. A real SMSC (SMPP) delivers "CXYE" from many subscribers to the hall's receiver bind; the hall looks each
 * number up (customer), asks billing for the balance and queues the reply with notify, whose dispatcher submits it
 * back to the SMSC. The clock stops when the last reply reaches the SMSC. All services run in this process on fresh
 * databases of the local PostgreSQL (DATABASE_URL's server), with the in-process event bus. Prints the figure
 * beside the target; never fails on speed.
 */
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { InProcessBus } from "@omnihall/bus";
import {
  billingMigrations,
  createBillingDb,
  loadBillingConfig,
  seedBilling,
  startBillingService,
} from "@omnihall/billing";
import { customerMigrations, loadCustomerConfig, seedCustomer, startCustomerService } from "@omnihall/customer";
import { databaseUrlFor, dropDatabase, migrateDeploy } from "@omnihall/db";
import { demoSubscribers } from "@omnihall/demo-data";
import { loadNotifyConfig, notifyMigrations, startNotifyService } from "@omnihall/notify";
import { createLogger } from "@omnihall/service-kit";
import { FakeSmsc } from "@omnihall/sms-link/testing";
import { loadSmsHallConfig, startSmsHall } from "../src/index.js";

const TARGET_PER_SECOND = 2000;
const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 3000);
/** Handled first and not counted: connections opened, code compiled, as in a service that has been running. */
const WARM_UP = Number(process.env.BENCH_WARM_UP ?? 300);
const SUBSCRIBERS = Number(process.env.BENCH_SUBSCRIBERS ?? 1500);
const adminUrl = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const logger = createLogger("sms-hall-bench", { level: process.env.BENCH_LOG_LEVEL === "error" ? "error" : "silent" });
const suffix = randomBytes(3).toString("hex");

async function freshDatabase(name: string, migrations: { schemaPath: string; migrationsDir: string }) {
  const url = databaseUrlFor(adminUrl, `omnihall_bench_${name}_${suffix}`);
  await migrateDeploy({ ...migrations, databaseUrl: url });
  return { url, drop: () => dropDatabase(adminUrl, `omnihall_bench_${name}_${suffix}`) };
}

const [customerDb, billingDb, notifyDb] = await Promise.all([
  freshDatabase("customer", customerMigrations),
  freshDatabase("billing", billingMigrations),
  freshDatabase("notify", notifyMigrations),
]);
const stops: Array<() => Promise<unknown>> = [customerDb.drop, billingDb.drop, notifyDb.drop];
try {
  await seedCustomer(customerDb.url);
  const seed = createBillingDb(billingDb.url, 4);
  await seedBilling(seed, { subscribers: SUBSCRIBERS });
  await seed.$disconnect();

  const credentials = { systemId: "omnihall", password: "bench-smsc" };
  let replies = 0;
  let expected = 0;
  let allReplied: () => void = () => {};
  const smsc = await FakeSmsc.start(credentials, {
    record: false,
    onSubmit: () => {
      if (++replies === expected) allReplied();
    },
  });
  stops.unshift(() => smsc.close());
  const bus = new InProcessBus({ logger });
  const pool = { PORT: "0", LOG_LEVEL: "silent", DATABASE_POOL_SIZE: "10" };
  const customer = await startCustomerService({
    config: loadCustomerConfig({ ...pool, DATABASE_URL: customerDb.url }),
    bus,
    logger,
  });
  stops.unshift(() => customer.stop());
  const billing = await startBillingService({
    config: loadBillingConfig({ ...pool, DATABASE_URL: billingDb.url, PAYMENT_NOTIFY_PORT: "0" }),
    bus,
    logger,
  });
  stops.unshift(() => billing.stop());
  const notify = await startNotifyService({
    config: loadNotifyConfig({
      ...pool,
      DATABASE_URL: notifyDb.url,
      CUSTOMER_ADDRESS: customer.address,
      SMPP_PORT: String(smsc.port),
      SMPP_SYSTEM_ID: credentials.systemId,
      SMPP_PASSWORD: credentials.password,
      SMPP_RATE: "100000",
      SMPP_WINDOW: "100",
      DATABASE_POOL_SIZE: "20",
      EVENT_CONSUMER: `sms-hall-bench-${suffix}`,
    }),
    bus,
    logger,
  });
  stops.unshift(() => notify.stop());
  let handled = 0;
  let lastHandledAt = 0;
  const hall = await startSmsHall({
    onHandled: () => {
      handled++;
      lastHandledAt = performance.now();
    },
    config: loadSmsHallConfig({
      PORT: "0",
      CUSTOMER_ADDRESS: customer.address,
      BILLING_ADDRESS: billing.address,
      NOTIFY_ADDRESS: notify.address,
      SMS_HALL_SMPP_PORT: String(smsc.port),
      SMS_HALL_SMPP_SYSTEM_ID: credentials.systemId,
      SMS_HALL_SMPP_PASSWORD: credentials.password,
      SMS_HALL_CONCURRENCY: process.env.SMS_HALL_CONCURRENCY ?? "16",
    }),
    logger,
  });
  stops.unshift(() => hall.stop());

  const numbers = demoSubscribers(SUBSCRIBERS).map((s) => s.msisdn);
  /** Delivers `count` MO and resolves when all their replies reached the SMSC (or after two minutes). */
  const run = async (count: number) => {
    expected = replies + count;
    const done = new Promise<void>((resolve) => (allReplied = resolve));
    // The SMSC's deliver_sm go out as fast as the hall acknowledges them (it acknowledges on receipt).
    let next = 0;
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        while (next < count) {
          const i = next++;
          await smsc.deliverMo({ from: numbers[i % numbers.length]!, to: "10086", text: "CXYE" });
        }
      }),
    );
    const accepted = performance.now();
    await Promise.race([done, new Promise((resolve) => setTimeout(resolve, 120_000))]);
    return accepted;
  };
  await run(WARM_UP);
  const repliesBefore = replies;
  handled = 0;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  const accepted = await run(MESSAGES);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const measuredReplies = replies - repliesBefore;
  const perSecond = measuredReplies / seconds;
  console.log(
    `SMS hall: ${MESSAGES} MO "CXYE" from ${Math.min(SUBSCRIBERS, MESSAGES)} numbers after ${WARM_UP} to warm up, ` +
      `${measuredReplies} replies back at the SMSC`,
  );
  console.log(`  MO accepted by the hall      ${(MESSAGES / ((accepted - started) / 1000)).toFixed(0)}/s`);
  console.log(
    `  answered by the hall         ${(handled / ((lastHandledAt - started) / 1000)).toFixed(0)}/s   (reply queued at notify)`,
  );
  console.log(
    `  handled end to end, replied  ${perSecond.toFixed(0)}/s   (target ≥ ${TARGET_PER_SECOND}/s: ${perSecond >= TARGET_PER_SECOND ? "met" : "not met"})`,
  );
  // Throughput depends on what else the machine runs; the CPU each MO costs does much less.
  console.log(
    `  CPU per MO                   ${((cpu.user + cpu.system) / MESSAGES).toFixed(0)} µs   (hall, services and SMSC together)`,
  );
} finally {
  for (const stop of stops) await stop().catch(() => undefined);
}
// The migration engine leaves a timer running after it is done (~100 s here).
process.exit(0);
