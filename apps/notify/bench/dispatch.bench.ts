/**
 * Notify throughput on this machine, over a real PostgreSQL (DATABASE_URL's server, default local) and a real SMPP
 * link to an SMSC built on the smpp library's server side: messages queued per second (one transaction each, as
 * events and SendMessage queue them), and messages dispatched per second (claim, submit_sm, record) by one and by
 * two dispatchers sharing the queue, then with messages trickling in one at a time. The SMSC rate limit is lifted so
 * the figure is ours. For each dispatch run: CPU per message of this process (dispatchers, SMPP client and the fake
 * SMSC) and of the database's backends, and the time from each SMSC answer to the commit of its outcome (the span in
 * which a killed notify leaves a message in doubt, see the Dispatcher). Prints figures; never fails on speed.
 */
import { randomBytes } from "node:crypto";
import { readFile } from "node:fs/promises";
import { availableParallelism } from "node:os";
import { performance } from "node:perf_hooks";
import pino from "pino";
import { createPrismaClient, databaseUrlFor, dropDatabase, maintenanceUrl, migrateDeploy } from "@omnihall/db";
import { newId } from "@omnihall/ids";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { PrismaClient } from "../src/db.js";
import { Dispatcher } from "../src/delivery/dispatcher.js";
import { GroupCommit } from "../src/delivery/group-commit.js";
import { parseQuietHours } from "../src/delivery/quiet-hours.js";
import { DEFAULT_RETRY_POLICY } from "../src/delivery/retry-policy.js";
import { notifyMigrations } from "../src/index.js";
import { queueMessage, type MessagePolicy, type NewMessage } from "../src/messages/queue-message.js";
import { SmppSmsProvider } from "../src/providers/index.js";
import { FakeSmsc } from "../src/providers/testing/fake-smsc.js";

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 3000);
const TRICKLE = Number(process.env.BENCH_TRICKLE ?? 1000);
const CONCURRENCY = 16;
const baseUrl = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const databaseUrl = databaseUrlFor(baseUrl, `omnihall_notify_bench_${randomBytes(4).toString("hex")}`);
const logger = pino({ level: "warn" });
const policy: MessagePolicy = {
  senders: { service: "10086", marketing: "1068610086" },
  quietHours: parseQuietHours("00:00-00:00"),
};
const credentials = { systemId: "bench", password: "bench123" };

await migrateDeploy({ ...notifyMigrations, databaseUrl });
const db = createPrismaClient(PrismaClient, databaseUrl, { poolSize: CONCURRENCY + 4 });
const smsc = await FakeSmsc.start(credentials);
const connect = () =>
  SmppSmsProvider.connect({
    host: "127.0.0.1",
    port: smsc.port,
    ...credentials,
    messagesPerSecond: 100_000,
    windowSize: 50,
    logger,
  });

/**
 * Answer → commit, per message: the dispatcher hands each answer to its group commit (add) the moment it arrives,
 * and add resolves once the outcome is committed.
 */
const answerToCommitMs: number[] = [];
const add = GroupCommit.prototype.add;
GroupCommit.prototype.add = function (this: GroupCommit<unknown>, item: unknown) {
  const answered = performance.now();
  return add.call(this, item).then(() => void answerToCommitMs.push(performance.now() - answered));
};

/** CPU (user + system, ms) of the database's backends serving the bench database, from /proc (0 where not there). */
async function databaseCpuMs(): Promise<Map<number, number>> {
  const backends = await db.$queryRaw<{ pid: number }[]>`
    SELECT pid FROM pg_stat_activity WHERE datname = current_database()`;
  const cpu = new Map<number, number>();
  for (const { pid } of backends) {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8").catch(() => "");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (fields.length > 12) cpu.set(pid, ((Number(fields[11]) + Number(fields[12])) * 1000) / 100);
  }
  return cpu;
}

/** Runs `work` and reports its CPU per message, here and in the database's backends, and answer → commit. */
async function measured(label: string, work: () => Promise<number>): Promise<void> {
  answerToCommitMs.length = 0;
  const dbBefore = await databaseCpuMs();
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const count = await work();
  const ms = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const dbAfter = await databaseCpuMs();
  let dbMs = 0;
  for (const [pid, after] of dbAfter) dbMs += after - (dbBefore.get(pid) ?? 0);
  report(label, count, ms);
  const sorted = [...answerToCommitMs].sort((a, b) => a - b);
  const at = (q: number) => (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? NaN).toFixed(1);
  console.log(
    `  CPU per message: ${(((cpu.user + cpu.system) / 1000 / count) * 1000).toFixed(0)} µs here, ` +
      `${((dbMs / count) * 1000).toFixed(0)} µs PostgreSQL; answer → commit p50 ${at(0.5)} ms, p90 ${at(0.9)} ms, ` +
      `p99 ${at(0.99)} ms, max ${at(1)} ms (${sorted.length} answers)`,
  );
}

function benchMessage(i: number): NewMessage {
  return {
    dedupeKey: newId("bench"),
    requestHash: "",
    recipient: {
      subscriberId: `sub_bench${i}`,
      msisdn: `138${String(i).padStart(8, "0")}`,
      language: "zh-CN",
      timeZone: "Asia/Shanghai",
      active: true,
    },
    kind: "SERVICE",
    templateCode: "QUOTA_THRESHOLD",
    text: `【Omnihall】您的5G 智享 59 元套餐流量已使用80%（已用24GB，共30GB）。#${i}`,
    campaignId: "",
    channel: Channel.CHANNEL_SYSTEM,
  };
}

function startDispatchers(providers: SmppSmsProvider[]): Dispatcher[] {
  return providers.map((provider) => {
    const dispatcher = new Dispatcher({
      db,
      provider,
      quietHours: policy.quietHours,
      retryPolicy: DEFAULT_RETRY_POLICY,
      batchSize: 100,
      pollIntervalMs: 20,
      logger,
    });
    dispatcher.start();
    return dispatcher;
  });
}

async function untilNoneQueued(): Promise<void> {
  while ((await db.message.count({ where: { status: "QUEUED" } })) > 0) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function queueAll(count: number): Promise<void> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        const i = next++;
        await db.$transaction((tx) => queueMessage(tx, benchMessage(i), policy));
      }
    }),
  );
  report("queue (one transaction each)", count, performance.now() - started);
}

async function dispatchAll(label: string, dispatchers: number): Promise<void> {
  const providers = await Promise.all(Array.from({ length: dispatchers }, connect));
  const queued = await db.message.count({ where: { status: "QUEUED" } });
  let running: Dispatcher[] = [];
  await measured(`${label} (target >= 2,000/s)`, async () => {
    running = startDispatchers(providers);
    await untilNoneQueued();
    return queued;
  });
  await Promise.all(running.map((dispatcher) => dispatcher.stop()));
  await Promise.all(providers.map((provider) => provider.close()));
}

/** One dispatcher, woken by each message as it is queued one after another: rounds of one or two messages. */
async function dispatchTrickle(count: number): Promise<void> {
  const providers = [await connect()];
  let running: Dispatcher[] = [];
  await measured("dispatch trickling in (1 dispatcher, SMPP)", async () => {
    running = startDispatchers(providers);
    for (let i = 0; i < count; i += 1) {
      await db.$transaction((tx) => queueMessage(tx, benchMessage(i), policy));
      running[0]!.wake();
    }
    await untilNoneQueued();
    return count;
  });
  await Promise.all(running.map((dispatcher) => dispatcher.stop()));
  await Promise.all(providers.map((provider) => provider.close()));
}

function report(label: string, count: number, ms: number) {
  console.log(
    `${label.padEnd(56)} ${String(count).padStart(6)} messages  ${((count / ms) * 1000).toFixed(0).padStart(6)}/s`,
  );
}

try {
  console.log(
    `notify bench: ${MESSAGES} single-part SMS per run, ${availableParallelism()} cores, SMPP window 50, ` +
      `PostgreSQL ${maintenanceUrl(baseUrl).replace(/\/\/.*@/, "//")}`,
  );
  await queueAll(MESSAGES);
  await dispatchAll("dispatch (1 dispatcher, SMPP)", 1);
  await queueAll(MESSAGES);
  await dispatchAll("dispatch (2 dispatchers, SMPP)", 2);
  await dispatchTrickle(TRICKLE);
  console.log(`SMSC received ${smsc.submits.length} submit_sm (expected ${MESSAGES * 2 + TRICKLE})`);
} finally {
  await db.$disconnect();
  await smsc.close();
  await dropDatabase(maintenanceUrl(baseUrl), new URL(databaseUrl).pathname.slice(1));
}
