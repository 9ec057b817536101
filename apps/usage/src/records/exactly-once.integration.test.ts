import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { JetStreamBus } from "@omnihall/bus";
import { createServiceClient } from "@omnihall/channel-client";
import { developmentCallerKey } from "@omnihall/config";
import { findNatsServer, NATS_INSTALL_HINT, repoRoot, startNatsServer } from "@omnihall/devstack";
import type { QuotaThresholdCrossedEvent } from "@omnihall/proto/omnihall/usage/v1/events";
import { UsageServiceClient, type UsageRecord } from "@omnihall/proto/omnihall/usage/v1/usage";
import { createLogger } from "@omnihall/service-kit";
import { waitFor } from "@omnihall/testkit";
import { monthOf } from "../buckets/calendar.js";
import { crossedThresholds } from "../buckets/draw-down.js";
import { QuotaThresholdCrossed } from "../events.js";
import { startUsageService } from "../index.js";
import {
  KB,
  monthly,
  once,
  product,
  startUsageHarness,
  unique,
  usage,
  type UsageHarness,
} from "../testing/usage-harness.js";

const QUOTA = 10_000n;
const PACK_QUOTA = 3_000n;

/**
 * Subscribers with a monthly data plan (every other one also with a data pack valid all month, drawn first),
 * and records for them spread over this month so far.
 */
async function workload(usageService: UsageHarness, subscribers: number, recordsEach: number) {
  const ids = Array.from({ length: subscribers }, () => `sub_${unique()}`);
  const monthStart = monthOf(new Date(), "Asia/Shanghai").start.getTime();
  const withPack = new Set(ids.filter((_, i) => i % 2 === 1));
  for (const id of ids) {
    await usageService.activate(product(id, [monthly(KB, QUOTA)]));
    if (withPack.has(id)) {
      await usageService.activate(
        product(id, [once(KB, PACK_QUOTA)], { offeringCode: "PACK", startTime: new Date(monthStart) }),
      );
    }
  }
  await vi.waitFor(
    async () => {
      for (const id of ids) {
        const summary = await usageService.client.getUsageSummary({ subscriberId: id, asOfTime: undefined });
        expect(summary.buckets).toHaveLength(withPack.has(id) ? 2 : 1);
      }
    },
    { timeout: 10_000, interval: 50 },
  );
  const span = Date.now() - 60_000 - monthStart;
  const records = ids.flatMap((id) =>
    Array.from({ length: recordsEach }, () =>
      usage(id, KB, BigInt(1 + Math.floor(Math.random() * 200)), {
        usageTime: new Date(monthStart + Math.floor(Math.random() * span)),
      }),
    ),
  );
  const used = new Map(ids.map((id) => [id, 0n]));
  for (const r of records) used.set(r.subscriberId, used.get(r.subscriberId)! + r.quantity);
  return { ids, records, used, withPack };
}

/** Whether any of the subscribers' buckets has counted anything yet. */
async function somethingCounted(usageService: UsageHarness, ids: string[]): Promise<boolean> {
  for (const subscriberId of ids) {
    const { buckets } = await usageService.client.getUsageSummary({ subscriberId, asOfTime: undefined });
    if (buckets.some((bucket) => bucket.used > 0n)) return true;
  }
  return false;
}

/** The records shuffled, with a share of them sent twice (at random positions). */
function shuffledWithDuplicates(records: UsageRecord[], duplicateShare: number): UsageRecord[] {
  const all = [...records, ...records.filter(() => Math.random() < duplicateShare).map((r) => ({ ...r }))];
  for (let i = all.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return all;
}

function chunks<T>(items: T[], size: number): T[][] {
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));
}

/**
 * The buckets hold exactly the unique records (the pack filled first), and each threshold of each bucket was
 * published exactly once, whatever order the records came in.
 */
async function expectCountedOnce(
  usageService: UsageHarness,
  expected: Awaited<ReturnType<typeof workload>>,
  thresholds: Array<{ message: QuotaThresholdCrossedEvent }>,
) {
  const expectedEvents: string[] = [];
  for (const id of expected.ids) {
    const total = expected.used.get(id)!;
    const pack = expected.withPack.has(id) ? (total < PACK_QUOTA ? total : PACK_QUOTA) : undefined;
    const plan = total - (pack ?? 0n);
    const summary = await usageService.client.getUsageSummary({ subscriberId: id, asOfTime: undefined });
    expect(summary.buckets.map((b) => [b.offeringCode, b.used])).toEqual([
      ...(pack === undefined ? [] : [["PACK", pack]]),
      ["PLAN_TEST", plan],
    ]);
    if (pack !== undefined) {
      expectedEvents.push(...crossedThresholds(PACK_QUOTA, 0n, pack).map((percent) => `${id}|PACK|${percent}`));
    }
    expectedEvents.push(...crossedThresholds(QUOTA, 0n, plan).map((percent) => `${id}|PLAN_TEST|${percent}`));
  }
  // Everything the outbox holds is published and here: an extra threshold would be among them.
  await usageService.allCollected(QuotaThresholdCrossed, thresholds);
  const published = thresholds.map(
    (t) => `${t.message.subscriberId}|${t.message.bucket!.offeringCode}|${t.message.thresholdPercent}`,
  );
  expect(published.sort()).toEqual(expectedEvents.sort());
}

describe("usage counts each record once and publishes each threshold once", () => {
  it("with duplicated, out-of-order records over concurrent streams and batches", async () => {
    const usageService = await startUsageHarness({ USAGE_INGEST_BATCH_SIZE: "300" });
    const thresholds = await usageService.collect(QuotaThresholdCrossed);
    const expected = await workload(usageService, 12, 150);
    const sent = shuffledWithDuplicates(expected.records, 0.3);
    const [forStreams, forBatches] = [sent.slice(0, sent.length / 2), sent.slice(sent.length / 2)];

    const results = await Promise.all([
      ...chunks(forStreams, Math.ceil(forStreams.length / 3)).map((part) =>
        usageService.client.streamUsage(chunks(part, 50).map((records) => ({ records }))).then((r) => r.result!),
      ),
      ...chunks(forBatches, 400).map((records) =>
        usageService.client.ingestUsage({ requestId: `req-${unique()}`, records }).then((r) => r.result!),
      ),
    ]);
    const accepted = results.reduce((sum, r) => sum + r.acceptedCount, 0n);
    const duplicates = results.reduce((sum, r) => sum + r.duplicateCount, 0n);
    expect(accepted).toBe(BigInt(expected.records.length));
    expect(duplicates).toBe(BigInt(sent.length - expected.records.length));
    await expectCountedOnce(usageService, expected, thresholds);
  });

  it("over two instances on one database, each streamed half of the feed at the same time", async () => {
    const usageService = await startUsageHarness({ USAGE_INGEST_BATCH_SIZE: "300" });
    // A second pod on the same database and bus: its own ingest, outbox relay and product consumer.
    const second = await startUsageService({
      config: usageService.config,
      bus: usageService.bus,
      logger: createLogger("usage-test-2", { level: "silent" }),
    });
    const secondClient = createServiceClient(UsageServiceClient, {
      address: `127.0.0.1:${second.port}`,
      caller: "platform",
      credential: developmentCallerKey("platform"),
      defaultDeadlineMs: 60_000,
    });
    onTestFinished(async () => {
      secondClient.close();
      await second.stop();
    });
    const thresholds = await usageService.collect(QuotaThresholdCrossed);
    const expected = await workload(usageService, 12, 150);
    // A record and its resent copy often land on different instances.
    const sent = shuffledWithDuplicates(expected.records, 0.3);
    const halves = [sent.slice(0, sent.length / 2), sent.slice(sent.length / 2)];
    const results = await Promise.all(
      [usageService.client, secondClient].flatMap((client, i) =>
        chunks(halves[i]!, Math.ceil(halves[i]!.length / 3)).map((part) =>
          client.streamUsage(chunks(part, 50).map((records) => ({ records }))).then((r) => r.result!),
        ),
      ),
    );
    expect(results.reduce((sum, r) => sum + r.acceptedCount, 0n)).toBe(BigInt(expected.records.length));
    expect(results.reduce((sum, r) => sum + r.duplicateCount, 0n)).toBe(BigInt(sent.length - expected.records.length));
    await expectCountedOnce(usageService, expected, thresholds);
  });

  it("when the service restarts in the middle of a stream and the feed resends everything", async () => {
    const usageService = await startUsageHarness(RESTARTABLE);
    const thresholds = await usageService.collect(QuotaThresholdCrossed);
    await restartMidStream(usageService, thresholds);
  });

  it("over real NATS JetStream, reconnecting on restart", async () => {
    const binary = findNatsServer();
    if (!binary) throw new Error(`This test needs nats-server. ${NATS_INSTALL_HINT}`);
    const storeDir = await mkdtemp(path.join(tmpdir(), "usage-nats-"));
    const nats = await startNatsServer(binary, storeDir, path.join(repoRoot, "infra/nats/dev.conf"));
    onTestFinished(async () => {
      await nats.stop();
      await rm(storeDir, { recursive: true, force: true });
    });
    const usageService = await startUsageHarness(RESTARTABLE, {
      connectBus: (logger) => JetStreamBus.connect({ url: nats.url, name: "usage-test", logger }),
    });
    await restartMidStream(usageService, undefined);
  });
});

const RESTARTABLE = { USAGE_INGEST_BATCH_SIZE: "200", USAGE_SHUTDOWN_TIMEOUT_SECONDS: "0" };

/**
 * Streams half the feed, takes the service down under the open stream, then resends the whole feed to the new
 * instance. `thresholds` collects from the start; without it (a bus that reconnects on restart) a durable
 * consumer reads the stream from its beginning once everything is sent.
 */
async function restartMidStream(
  usageService: UsageHarness,
  thresholds: Array<{ message: QuotaThresholdCrossedEvent }> | undefined,
) {
  const expected = await workload(usageService, 8, 150);
  const sent = shuffledWithDuplicates(expected.records, 0.2);
  const parts = chunks(sent, 100);

  let restarting: Promise<void> | undefined;
  async function* feedThenRestart() {
    for (const [i, records] of parts.entries()) {
      yield { records };
      if (i === Math.floor(parts.length / 2)) {
        // Once the service has committed some of what was sent, take it down under the open stream.
        await waitFor("some records counted", () => somethingCounted(usageService, expected.ids));
        restarting = usageService.restart();
        await new Promise(() => {}); // the feed never gets to finish
      }
    }
  }
  const broken = await usageService.client.streamUsage(feedThenRestart()).then(
    () => "finished",
    () => "broken",
  );
  expect(broken).toBe("broken");
  await restarting;

  const before = await usageService.client.getUsageSummary({ subscriberId: expected.ids[0]!, asOfTime: undefined });
  const firstTotal = before.buckets.reduce((sum, b) => sum + b.used, 0n);
  expect(firstTotal).toBeLessThan(expected.used.get(expected.ids[0]!)!); // really mid-stream

  const resent = await usageService.client.streamUsage(parts.map((records) => ({ records })));
  expect(resent.result!.acceptedCount + resent.result!.duplicateCount).toBe(BigInt(sent.length));
  expect(resent.result!.duplicateCount).toBeGreaterThan(BigInt(sent.length - expected.records.length));
  await expectCountedOnce(usageService, expected, thresholds ?? (await usageService.collect(QuotaThresholdCrossed)));
}
