import { migrateDeploy } from "@omnihall/db";
import { demoSubscribers } from "@omnihall/demo-data";
import { notifyMigrations } from "@omnihall/notify";
import { FakeSmsc } from "@omnihall/sms-link/testing";
import { BILLED_SUBSCRIBERS, type BenchContext } from "../context.js";
import pg from "pg";
import { processCpuMs, removeFromNats } from "../stack.js";
import { perSecond } from "../table.js";
import type { CoreServices } from "./read-paths.js";

const MESSAGES = Number(process.env.BENCH_SMS_MESSAGES ?? 6000);
/**
 * Measured runs of MESSAGES each, back to back; the figure is their median. One run of a few seconds on a shared
 * two-core VM moved by a quarter from one try to the next (a checkpoint, a neighbour).
 */
const TRIALS = Number(process.env.BENCH_SMS_TRIALS ?? 3);
/** Handled first and not counted: connections opened, code compiled, caches filled, as in a hall that has been up. */
const WARM_UP = Number(process.env.BENCH_SMS_WARM_UP ?? 1000);
/**
 * MOs the SMSC has delivered whose reply has not come back yet, at most: a closed loop, so the row measures what
 * the path sustains rather than how deep the hall's per-number queues are (a burst over SMS_HALL_MAX_QUEUED_PER_NUMBER
 * is dropped by design).
 */
const IN_FLIGHT = Number(process.env.BENCH_SMS_IN_FLIGHT ?? 256);
/** What notify is allowed to submit to the SMSC here, above the target so the agreed rate is not the cap. */
const SMSC_RATE = 10_000;
const SMSC_WINDOW = 100;
/**
 * Messages notify's dispatcher claims per round: a deployment answering thousands of texts a second sets it above
 * the default (50), so one claim and one record serve the replies of a whole burst rather than of part of one.
 */
const DISPATCH_BATCH = 200;

/**
 * Issue 11's SMS hall row, deployment-shaped: the SMS hall and notify each run from their bundle (customer and
 * billing are the core services), the SMSC simulator — the real SMPP server of @omnihall/sms-link's testing code —
 * runs in this, the load process. It delivers "CXYE" (balance) from the billed demo subscribers to the hall's
 * receiver bind; the hall looks the number up (customer), asks billing for the balance and queues the reply with
 * notify, whose dispatcher submits it back to the SMSC over its own bind. The figure is MOs whose reply reached the
 * SMSC per second; the CPU is each app process's over the measured MOs.
 */
export async function smsHallMo(ctx: BenchContext, core: CoreServices): Promise<void> {
  const notifyUrl = ctx.databases.urlFor("notify");
  await migrateDeploy({ ...notifyMigrations, databaseUrl: notifyUrl });

  const credentials = { systemId: "omnihall", password: "bench-smsc" };
  let replies = 0;
  let wake = () => {};
  const smsc = await FakeSmsc.start(credentials, {
    record: false,
    onSubmit: () => {
      replies++;
      wake();
    },
  });
  const consumerPrefix = `bench-${ctx.runId}-sms-`;
  const notify = await ctx.start("notify", {
    NATS_URL: ctx.natsUrl,
    DATABASE_URL: notifyUrl,
    CUSTOMER_ADDRESS: core.customer.address,
    CATALOG_ADDRESS: core.catalog.address,
    EVENT_CONSUMER: `${consumerPrefix}notify`,
    DELIVERY_REPORT_PORT: "0",
    SMPP_PORT: String(smsc.port),
    SMPP_SYSTEM_ID: credentials.systemId,
    SMPP_PASSWORD: credentials.password,
    SMPP_RATE: String(SMSC_RATE),
    SMPP_WINDOW: String(SMSC_WINDOW),
    DISPATCH_BATCH_SIZE: String(DISPATCH_BATCH),
  });
  const hall = await ctx.start(
    "sms-hall",
    {
      CUSTOMER_ADDRESS: core.customer.address,
      BILLING_ADDRESS: core.billing.address,
      NOTIFY_ADDRESS: notify.address,
      SMS_HALL_SMPP_PORT: String(smsc.port),
      SMS_HALL_SMPP_SYSTEM_ID: credentials.systemId,
      SMS_HALL_SMPP_PASSWORD: credentials.password,
      // 600 numbers sending 2,000/s is 200 a minute each, far over the per-number abuse limit (20); a real base
      // spreads that rate over millions of numbers.
      SMS_HALL_MESSAGES_PER_MINUTE: "1000000",
    },
    { http: true },
  );
  try {
    const numbers = demoSubscribers(BILLED_SUBSCRIBERS).map((s) => s.msisdn);
    let replied: (() => void) | undefined;
    wake = () => replied?.();
    /** Delivers `count` MOs, at most IN_FLIGHT unanswered, and resolves when all their replies reached the SMSC. */
    const run = async (count: number) => {
      const before = replies;
      const timeout = Date.now() + 30_000 + count * 10;
      const waitFor = async (condition: () => boolean) => {
        while (!condition()) {
          if (Date.now() > timeout) throw new Error(`${replies - before} of ${count} replies reached the SMSC in time`);
          // Woken by the next reply; the timer only lets the deadline be seen when replies stop coming.
          await new Promise<void>((resolve) => {
            replied = resolve;
            setTimeout(resolve, 200);
          });
        }
      };
      for (let delivered = 0; delivered < count; delivered++) {
        await waitFor(() => delivered - (replies - before) < IN_FLIGHT);
        // The hall acknowledges on receipt; the window above, not this answer, paces the load.
        void smsc.deliverMo({ from: numbers[delivered % numbers.length]!, to: "10086", text: "CXYE" });
      }
      await waitFor(() => replies - before >= count);
    };
    await run(WARM_UP);
    const postgres = await postgresBackends(notifyUrl, `omnihall_bench_%_${ctx.runId}`);
    // The SMSC simulator's share of the same two cores (a deployment's SMSC runs elsewhere): shown, not counted.
    const loadBefore = process.cpuUsage();
    const [rates, cpu] = await ctx.cpuPerCall(
      [hall, notify, core.customer, core.billing],
      async () => {
        const measured: number[] = [];
        for (let trial = 0; trial < TRIALS; trial++) {
          const started = performance.now();
          await run(MESSAGES);
          measured.push(MESSAGES / ((performance.now() - started) / 1000));
        }
        return measured.sort((a, b) => a - b);
      },
      () => MESSAGES * TRIALS,
    );
    const load = process.cpuUsage(loadBefore);
    const loadUs = (load.user + load.system) / (MESSAGES * TRIALS);
    const postgresUs = ((await postgres.used()) / (MESSAGES * TRIALS)) * 1000;
    // The whole path's CPU per MO, the figure that says how many MOs the cores can carry.
    const appsUs = [...cpu.matchAll(/ (\d+) µs/g)].reduce((sum, [, us]) => sum + Number(us), 0);
    await postgres.close();
    const rate = rates[Math.floor(rates.length / 2)]!;
    ctx.rows.push({
      path: "SMS hall: MO handled end to end with replies",
      figure:
        `${perSecond(rate)} (median of ${TRIALS} runs of ${MESSAGES.toLocaleString("en")}: ` +
        `${rates.map((r) => perSecond(r)).join(", ")})`,
      target: "≥ 2,000/s",
      met: rate >= 2_000,
      cpu:
        `${cpu}, PostgreSQL ${postgresUs.toFixed(0)} µs; ${(appsUs + postgresUs).toFixed(0)} µs in all; ` +
        `besides, the load process with the SMSC simulator ${loadUs.toFixed(0)} µs`,
      settings:
        `SMSC simulator in the load process, ${MESSAGES.toLocaleString("en")} "CXYE" from ${numbers.length} numbers ` +
        `after ${WARM_UP.toLocaleString("en")} to warm up, ${IN_FLIGHT} unanswered at most; notify's SMSC rate ` +
        `${SMSC_RATE.toLocaleString("en")}/s, window ${SMSC_WINDOW}, ${DISPATCH_BATCH} claimed per round; SMPP both ways`,
    });
  } finally {
    await hall.stop();
    await notify.stop();
    await smsc.close();
    await removeFromNats(ctx.natsUrl, consumerPrefix);
  }
}

/**
 * The PostgreSQL backends serving the run's databases (the services' pooled connections), whose CPU belongs to the
 * path as much as the apps'. `used()` is the CPU ms they spent since `postgresBackends` was called (after the
 * warm-up, with the pools open): a backend that appeared since counts from its start, one that closed is missed.
 */
async function postgresBackends(anyRunDatabaseUrl: string, databasePattern: string) {
  const client = new pg.Client({ connectionString: anyRunDatabaseUrl });
  await client.connect();
  const snapshot = async () => {
    const { rows } = await client.query<{ pid: number }>(
      "SELECT pid FROM pg_stat_activity WHERE datname LIKE $1 AND pid <> pg_backend_pid()",
      [databasePattern],
    );
    const cpu = new Map<number, number>();
    for (const { pid } of rows) {
      const used = await processCpuMs(pid);
      if (used !== undefined) cpu.set(pid, used);
    }
    return cpu;
  };
  const before = await snapshot();
  return {
    async used(): Promise<number> {
      let total = 0;
      for (const [pid, used] of await snapshot()) total += used - (before.get(pid) ?? 0);
      return total;
    },
    close: () => client.end(),
  };
}
