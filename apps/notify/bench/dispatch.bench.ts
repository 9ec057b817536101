/**
 * Notify throughput on this machine, over a real PostgreSQL (DATABASE_URL's server, default local) and a real SMPP
 * link to an SMSC built on the smpp library's server side: messages queued per second (one transaction each, as
 * events and SendMessage queue them), and messages dispatched per second (claim, submit_sm, record) by one and by
 * two dispatchers sharing the queue. The SMSC rate limit is lifted so the figure is ours. Prints figures; never
 * fails on speed.
 */
import { randomBytes } from "node:crypto";
import { availableParallelism } from "node:os";
import { performance } from "node:perf_hooks";
import pino from "pino";
import { createPrismaClient, databaseUrlFor, dropDatabase, maintenanceUrl, migrateDeploy } from "@omnihall/db";
import { newId } from "@omnihall/ids";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { PrismaClient } from "../src/db.js";
import { Dispatcher } from "../src/delivery/dispatcher.js";
import { parseQuietHours } from "../src/delivery/quiet-hours.js";
import { DEFAULT_RETRY_POLICY } from "../src/delivery/retry-policy.js";
import { notifyMigrations } from "../src/index.js";
import { queueMessage, type MessagePolicy } from "../src/messages/queue-message.js";
import { SmppSmsProvider } from "../src/providers/index.js";
import { FakeSmsc } from "../src/providers/testing/fake-smsc.js";

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 3000);
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

async function queueAll(count: number): Promise<void> {
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < count) {
        const i = next++;
        await db.$transaction((tx) =>
          queueMessage(
            tx,
            {
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
            },
            policy,
          ),
        );
      }
    }),
  );
  report("queue (one transaction each)", count, performance.now() - started);
}

async function dispatchAll(label: string, dispatchers: number): Promise<void> {
  const providers = await Promise.all(Array.from({ length: dispatchers }, connect));
  const queued = await db.message.count({ where: { status: "QUEUED" } });
  const started = performance.now();
  const running = providers.map((provider) => {
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
  while ((await db.message.count({ where: { status: "QUEUED" } })) > 0) {
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  report(`${label} (target >= 2,000/s)`, queued, performance.now() - started);
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
  console.log(`SMSC received ${smsc.submits.length} submit_sm (expected ${MESSAGES * 2})`);
} finally {
  await db.$disconnect();
  await smsc.close();
  await dropDatabase(maintenanceUrl(baseUrl), new URL(databaseUrl).pathname.slice(1));
}
