import { describe, expect, it, vi } from "vitest";
import { KB, monthly, once, product, startUsageHarness, unique, usage } from "../testing/usage-harness.js";

const HOUR = 3600_000;

describe("buckets from the orders product events", () => {
  it("stops drawing a pack from its deactivation on, and keeps what it counted before", async () => {
    const usageService = await startUsageHarness();
    const subscriberId = `sub_${unique()}`;
    const pack = product(subscriberId, [once(KB, 1000n)], {
      offeringCode: "PACK",
      startTime: new Date(Date.now() - 5 * HOUR),
    });
    await usageService.activate(product(subscriberId, [monthly(KB, 5000n)]));
    await usageService.activate(pack);
    await usageService.activate(pack); // a redelivered activation changes nothing
    await vi.waitFor(
      async () => {
        const summary = await usageService.client.getUsageSummary({ subscriberId, asOfTime: undefined });
        expect(summary.buckets.map((b) => b.offeringCode)).toEqual(["PACK", "PLAN_TEST"]);
      },
      { timeout: 10_000, interval: 50 },
    );

    await usageService.deactivate({ ...pack, endTime: new Date(Date.now() - 2 * HOUR) });
    await vi.waitFor(
      async () => {
        const summary = await usageService.client.getUsageSummary({ subscriberId, asOfTime: undefined });
        expect(summary.buckets.map((b) => b.offeringCode)).toEqual(["PLAN_TEST"]);
      },
      { timeout: 10_000, interval: 50 },
    );
    await usageService.client.ingestUsage({
      requestId: `req-${unique()}`,
      records: [
        usage(subscriberId, KB, 300n, { usageTime: new Date(Date.now() - 3 * HOUR) }), // while the pack was on
        usage(subscriberId, KB, 200n, { usageTime: new Date(Date.now() - HOUR) }), // after it ended
      ],
    });
    const before = await usageService.client.getUsageSummary({
      subscriberId,
      asOfTime: new Date(Date.now() - 3 * HOUR),
    });
    expect(before.buckets.map((b) => [b.offeringCode, b.used])).toEqual([
      ["PACK", 300n],
      ["PLAN_TEST", 200n],
    ]);
  });

  it("renews a monthly allowance in the subscriber's time zone", async () => {
    const usageService = await startUsageHarness();
    const subscriberId = `sub_${unique()}`;
    await usageService.activate(product(subscriberId, [monthly(KB, 100n)], { subscriberTimeZone: "Asia/Urumqi" }));
    await vi.waitFor(() => usageService.client.getUsageSummary({ subscriberId, asOfTime: undefined }), {
      timeout: 10_000,
      interval: 50,
    });
    // 17:30 UTC on Oct 31st is already November in Shanghai but still October in Urumqi (UTC+6).
    await usageService.client.ingestUsage({
      requestId: `req-${unique()}`,
      records: [usage(subscriberId, KB, 60n, { usageTime: new Date("2026-10-31T17:30:00Z") })],
    });
    const october = await usageService.client.getUsageSummary({
      subscriberId,
      asOfTime: new Date("2026-10-31T17:59:00Z"),
    });
    expect(october.month).toBe("2026-10");
    expect(october.buckets.map((b) => [b.used, b.periodStartTime!.toISOString()])).toEqual([
      [60n, "2026-09-30T18:00:00.000Z"],
    ]);
    const november = await usageService.client.getUsageSummary({
      subscriberId,
      asOfTime: new Date("2026-10-31T18:00:00Z"),
    });
    expect(november.buckets.map((b) => [b.used, b.periodStartTime!.toISOString()])).toEqual([
      [0n, "2026-10-31T18:00:00.000Z"],
    ]);
  });
});
