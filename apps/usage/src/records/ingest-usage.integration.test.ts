import { describe, expect, it, vi } from "vitest";
import { ServiceCallError } from "@omnihall/channel-client";
import { QuotaThresholdCrossed } from "../events.js";
import { KB, monthly, once, product, SECONDS, startUsageHarness, unique, usage } from "../testing/usage-harness.js";

describe("IngestUsage", () => {
  it("counts good records once, rejects bad ones with reasons, and answers a retry with the first response", async () => {
    const usageService = await startUsageHarness();
    const subscriberId = `sub_${unique()}`;
    await usageService.activate(product(subscriberId, [monthly(KB, 1000n), monthly(SECONDS, 600n)]));
    await vi.waitFor(() => usageService.client.getUsageSummary({ subscriberId, asOfTime: undefined }), {
      timeout: 10_000,
      interval: 50,
    });

    const duplicate = usage(subscriberId, KB, 100n);
    const records = [
      usage(subscriberId, KB, 300n),
      duplicate,
      { ...duplicate },
      usage(subscriberId, SECONDS, 60n),
      usage(`sub_${unique()}`, KB, 1n),
      usage(subscriberId, KB, -5n),
      usage(subscriberId, KB, 1n, { usageTime: new Date(Date.now() + 3600_000) }),
      usage(subscriberId, KB, 1n, { recordId: "bad id!" }),
    ];
    const requestId = `req-${unique()}`;
    const first = await usageService.client.ingestUsage({ requestId, records });
    expect(first.result).toMatchObject({
      acceptedCount: 3n,
      duplicateCount: 1n,
      rejectedCount: 4n,
      rejectedCountByReason: {
        SUBSCRIBER_UNKNOWN: 1n,
        QUANTITY_NEGATIVE: 1n,
        USAGE_TIME_IN_FUTURE: 1n,
        RECORD_ID_MALFORMED: 1n,
      },
    });
    expect(first.result!.rejectedRecords.map((r) => [Number(r.index), r.reason])).toEqual(
      expect.arrayContaining([
        [4, "SUBSCRIBER_UNKNOWN"],
        [5, "QUANTITY_NEGATIVE"],
        [6, "USAGE_TIME_IN_FUTURE"],
        [7, "RECORD_ID_MALFORMED"],
      ]),
    );
    expect(first.result!.rejectedRecords.find((r) => r.reason === "QUANTITY_NEGATIVE")!.message).toEqual({
      zhCn: "用量不能为负数",
      en: "The quantity is negative",
    });

    expect(await usageService.client.ingestUsage({ requestId, records })).toEqual(first);
    // Concurrent retries of a new request: one does the work, the others wait for it and answer the same.
    const racing = {
      requestId: `req-${unique()}`,
      records: [usage(subscriberId, KB, 11n), usage(subscriberId, KB, 13n)],
    };
    const answers = await Promise.all([1, 2, 3].map(() => usageService.client.ingestUsage(racing)));
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
    expect(answers[0]!.result).toMatchObject({ acceptedCount: 2n, duplicateCount: 0n });
    // The same records under a new request id: all already counted.
    const again = await usageService.client.ingestUsage({ requestId: `req-${unique()}`, records: records.slice(0, 4) });
    expect(again.result).toMatchObject({ acceptedCount: 0n, duplicateCount: 4n, rejectedCount: 0n });

    const summary = await usageService.client.getUsageSummary({ subscriberId, asOfTime: undefined });
    expect(summary.buckets.map((b) => [b.unit, b.quota, b.used, b.remaining])).toEqual([
      [KB, 1000n, 424n, 576n],
      [SECONDS, 600n, 60n, 540n],
    ]);
    expect(summary.overages).toEqual([]);
  });

  it("draws a pack before the plan, records overage, and publishes each threshold exactly once", async () => {
    const usageService = await startUsageHarness();
    const thresholds = await usageService.collect(QuotaThresholdCrossed);
    const subscriberId = `sub_${unique()}`;
    await usageService.activate(product(subscriberId, [monthly(KB, 1000n)]));
    const pack = product(subscriberId, [once(KB, 500n)], {
      offeringCode: "PACK_DATA_500",
      startTime: new Date(Date.now() - 3600_000),
      endTime: new Date(Date.now() + 7 * 24 * 3600_000),
    });
    await usageService.activate(pack);
    await vi.waitFor(
      async () => {
        const s = await usageService.client.getUsageSummary({ subscriberId, asOfTime: undefined });
        expect(s.buckets).toHaveLength(2);
      },
      { timeout: 10_000, interval: 50 },
    );

    const ingest = (quantity: bigint) =>
      usageService.client.ingestUsage({ requestId: `req-${unique()}`, records: [usage(subscriberId, KB, quantity)] });
    await ingest(450n); // pack 90%
    await ingest(300n); // pack full, plan 25%
    await ingest(1950n); // plan 100% + 1450 → 220%: overage 1450

    const summary = await usageService.client.getUsageSummary({ subscriberId, asOfTime: undefined });
    expect(summary.buckets.map((b) => [b.offeringCode, b.used, b.remaining])).toEqual([
      ["PACK_DATA_500", 500n, 0n],
      ["PLAN_TEST", 2200n, 0n],
    ]);
    expect(summary.overages).toEqual([{ unit: KB, roamingCountryCode: "", quantity: 1200n }]);

    await vi.waitFor(() => expect(thresholds).toHaveLength(5), { timeout: 10_000, interval: 50 });
    expect(thresholds.map((t) => [t.message.bucket!.offeringCode, t.message.thresholdPercent])).toEqual([
      ["PACK_DATA_500", 80],
      ["PACK_DATA_500", 100],
      ["PLAN_TEST", 80],
      ["PLAN_TEST", 100],
      ["PLAN_TEST", 200],
    ]);
    const last = thresholds.at(-1)!.message;
    expect(last).toMatchObject({ subscriberId, usedPercent: 220 });
    expect(last.bucket).toMatchObject({ quota: 1000n, used: 2200n, unit: KB });
  });

  it("refuses a request without request_id and one with too many records", async () => {
    const usageService = await startUsageHarness();
    const call = (request: Parameters<typeof usageService.client.ingestUsage>[0]) =>
      usageService.client.ingestUsage(request).then(
        () => undefined,
        (error: ServiceCallError) => error.reason,
      );
    expect(await call({ requestId: "", records: [] })).toBe("REQUEST_ID_REQUIRED");
    const many = Array.from({ length: 10_001 }, () => usage("sub_x", KB, 1n));
    expect(await call({ requestId: "r", records: many })).toBe("RECORDS_TOO_MANY");
  });
});
