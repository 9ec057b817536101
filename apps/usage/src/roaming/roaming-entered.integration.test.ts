import { describe, expect, it, vi } from "vitest";
import { RoamingEntered } from "../events.js";
import { KB, monthly, once, product, startUsageHarness, unique, usage } from "../testing/usage-harness.js";

const DAY = 24 * 3600_000;

describe("usage.roaming.entered", () => {
  it("welcomes once per trip to a country, with the roaming packs held for it", async () => {
    const usageService = await startUsageHarness();
    const welcomes = await usageService.collect(RoamingEntered);
    const subscriberId = `sub_${unique()}`;
    await usageService.activate(product(subscriberId, [monthly(KB, 1_000_000n)]));
    await usageService.activate(
      product(subscriberId, [once(KB, 2048n, "JP")], { offeringCode: "ROAM_JP_2G", startTime: new Date(0) }),
    );
    await vi.waitFor(
      async () => {
        const summary = await usageService.client.getUsageSummary({ subscriberId, asOfTime: undefined });
        expect(summary.buckets).toHaveLength(2);
      },
      { timeout: 10_000, interval: 50 },
    );
    const ago = (days: number) => new Date(Date.now() - days * DAY);
    const inJapan = (days: number) =>
      usage(subscriberId, KB, 100n, { roamingCountryCode: "JP", provinceCode: "", usageTime: ago(days) });
    const ingest = (records: ReturnType<typeof usage>[]) =>
      usageService.client.ingestUsage({ requestId: `req-${unique()}`, records });

    const firstTrip = [inJapan(40), inJapan(39.5)];
    // Two batches of the same new trip at once: one welcome between them.
    await Promise.all([ingest([firstTrip[0]!]), ingest([firstTrip[1]!])]);
    await ingest([inJapan(39)]); // same trip
    await ingest(firstTrip); // replayed
    const secondTrip = inJapan(2);
    await ingest([
      secondTrip,
      usage(subscriberId, KB, 5n, { roamingCountryCode: "KR", provinceCode: "", usageTime: ago(1) }),
    ]);

    // Every welcome the outbox holds is published and here: a second one for a trip would be among them.
    await usageService.allCollected(RoamingEntered, welcomes);
    expect(welcomes).toHaveLength(3);
    // The racing batches decide which of the first trip's records the welcome reports as its start.
    const byCountry = welcomes.map((w) => [w.message.countryCode, w.message.firstUsageTime!.getTime()]);
    expect(byCountry).toEqual(
      expect.arrayContaining([
        ["JP", expect.toSatisfy((t) => firstTrip.some((r) => r.usageTime!.getTime() === t))],
        ["JP", secondTrip.usageTime!.getTime()],
        ["KR", expect.any(Number)],
      ]),
    );
    const japan = welcomes.find((w) => w.message.countryCode === "JP")!.message;
    expect(japan.subscriberId).toBe(subscriberId);
    expect(japan.buckets.map((b) => [b.offeringCode, b.roamingCountryCode, b.quota])).toEqual([
      ["ROAM_JP_2G", "JP", 2048n],
    ]);
    expect(welcomes.find((w) => w.message.countryCode === "KR")!.message.buckets).toEqual([]);

    // Roaming usage draws only from that country's pack; without one it is roaming overage.
    const summary = await usageService.client.getUsageSummary({ subscriberId, asOfTime: undefined });
    expect(summary.buckets.find((b) => b.roamingCountryCode === "JP")!.used).toBe(400n);
    expect(summary.buckets.find((b) => b.roamingCountryCode === "")!.used).toBe(0n);
    expect(summary.overages).toEqual([{ unit: KB, roamingCountryCode: "KR", quantity: 5n }]);
  });
});
