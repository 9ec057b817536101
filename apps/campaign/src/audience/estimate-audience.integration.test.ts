import { enqueue } from "@omnihall/bus";
import { ChargeStatus } from "@omnihall/proto/omnihall/billing/v1/billing";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { demoSubscribers } from "@omnihall/demo-data";
import type { AudienceFact } from "@omnihall/proto/omnihall/campaign/v1/campaign";
import { describe, expect, it } from "vitest";
import { ChargeCompleted, ChargeRefunded } from "../events.js";
import { demoCampaignSpec, operator, startTestCampaignService } from "../testing.js";
import { seedCampaign } from "./seed-audience.js";
import { billingMonth } from "./spend-consumer.js";

const HQ = operator("op_hq", ["viewer"]);
const GD = operator("op_gd", ["viewer"], "GD");

describe("EstimateAudience", () => {
  it("counts the audience from the facts fed by billing's charge events, minus holdout and non-consenting", async () => {
    const service = await startTestCampaignService();
    const now = new Date();
    const lastMonth = new Date(now.getTime() - 32 * 24 * 3600_000);
    // Profile facts (province, city, plan, tenure, consent) have no event to come from yet: written here as
    // such events would write them.
    const facts = Array.from({ length: 200 }, (_, i) => ({
      subscriberId: `sub_aud${String(i).padStart(4, "0")}`,
      provinceCode: i < 150 ? "GD" : "ZJ",
      city: i % 2 === 0 ? "深圳" : "广州",
      planCode: "PLAN_58",
      subscribedTime: new Date(now.getTime() - (i % 24) * 31 * 24 * 3600_000),
      marketingConsent: i % 10 !== 0,
    }));
    await service.db.audienceFact.createMany({ data: facts });

    // Spend comes from billing's events, as it will in production: through the bus, applied once each.
    const charge = (subscriberId: string, amountFen: bigint, at: Date, n: number) => ({
      chargeId: `chg_${subscriberId}_${n}`,
      subscriberId,
      orderId: "",
      amountFen,
      description: undefined,
      status: ChargeStatus.CHARGE_STATUS_COMPLETED,
      channel: Channel.CHANNEL_SYSTEM,
      createTime: at,
      refundTime: undefined,
    });
    const charges = facts
      .slice(0, 100)
      .map((fact, i) => charge(fact.subscriberId, 5_000n + BigInt(i) * 100n, lastMonth, 1));
    // A month later the first charge of the new month makes the old month "last month".
    const newMonth = facts.slice(0, 100).map((fact) => charge(fact.subscriberId, 100n, now, 2));
    await service.db.$transaction(async (tx) => {
      for (const c of charges) await enqueue(tx, ChargeCompleted, { charge: c });
    });
    await service.db.$transaction(async (tx) => {
      for (const c of newMonth) await enqueue(tx, ChargeCompleted, { charge: c });
      // A refund takes back its charge.
      await enqueue(tx, ChargeRefunded, { charge: newMonth[0]! });
    });
    await expect
      .poll(() => service.db.processedMessage.count(), { timeout: 15_000, interval: 100 })
      .toBe(charges.length + newMonth.length + 1);
    const first = await service.db.audienceFact.findUniqueOrThrow({ where: { subscriberId: facts[0]!.subscriberId } });
    expect(first).toMatchObject({ spendMonth: billingMonth(now), monthSpendFen: 0n, lastMonthSpendFen: 5_000n });

    const audience = {
      ...demoCampaignSpec("GD").audience!,
      provinceCodes: ["GD"],
      cities: ["深圳"],
      minTenureMonths: 6,
      monthlySpend: { minFen: 8_000n, maxFen: 0n },
      marketingConsentRequired: true,
    };
    const estimate = await service
      .client()
      .estimateAudience(
        { audience, scope: { national: false, provinceCode: "GD" }, holdoutPercent: 20 },
        { party: GD },
      );
    // Expected straight from the facts written above.
    const expected = facts.filter(
      (fact, i) =>
        fact.provinceCode === "GD" &&
        fact.city === "深圳" &&
        fact.subscribedTime.getTime() <= now.getTime() - 6 * 30 * 24 * 3600_000 &&
        i < 100 &&
        5_000 + i * 100 >= 8_000,
    );
    expect(estimate.matching).toBeGreaterThan(0n);
    expect(Number(estimate.matching)).toBeGreaterThanOrEqual(expected.length - 2);
    expect(Number(estimate.matching)).toBeLessThanOrEqual(expected.length + 2);
    const consenting = expected.filter((fact) => fact.marketingConsent).length;
    expect(Number(estimate.reachable + estimate.holdout)).toBeLessThanOrEqual(consenting + 2);
    expect(estimate.holdout).toBeGreaterThan(0n);
    expect(estimate.reachable).toBeGreaterThan(estimate.holdout);

    // HQ sizes a national audience across both provinces; a province estimate never counts another's.
    const national = await service.client().estimateAudience(
      {
        audience: {
          ...audience,
          provinceCodes: [],
          cities: [],
          minTenureMonths: 0,
          monthlySpend: undefined,
          marketingConsentRequired: false,
        },
        scope: { national: true, provinceCode: "" },
        holdoutPercent: 0,
      },
      { party: HQ },
    );
    expect(national).toMatchObject({ matching: 200n, reachable: 200n, holdout: 0n });
  });
});

describe("ImportAudienceFacts and the demo seed", () => {
  it("streams facts in batches, keeps what a fact leaves unset, and sizes the seeded demo audience", async () => {
    const service = await startTestCampaignService();
    const { facts } = await seedCampaign(service.databaseUrl);
    expect(facts).toBe(demoSubscribers().length);
    expect((await seedCampaign(service.databaseUrl)).facts).toBe(0);

    const demos = demoSubscribers();
    const consentingInGd = demos.filter((demo, index) => demo.provinceCode === "GD" && index % 3 === 0).length;
    const noCondition = {
      ...demoCampaignSpec("GD").audience!,
      provinceCodes: ["GD"],
      marketingConsentRequired: true,
    };
    const seeded = await service
      .client()
      .estimateAudience(
        { audience: noCondition, scope: { national: false, provinceCode: "GD" }, holdoutPercent: 0 },
        { party: GD },
      );
    expect(seeded.reachable).toBe(BigInt(consentingInGd));

    // The platform streams facts: two batches; the second changes consent of one subscriber and leaves the rest.
    const [first, second] = demos.filter((demo) => demo.provinceCode === "GD").slice(0, 2);
    const fact = (subscriberId: string, changes: Partial<AudienceFact>): AudienceFact => ({
      subscriberId,
      subscribeTime: undefined,
      ...changes,
    });
    const { applied } = await service.client("platform").importAudienceFacts([
      {
        facts: [
          fact(first!.subscriberId, { lastMonthSpendFen: 20_000n }),
          fact("sub_new_one", {
            provinceCode: "GD",
            city: "深圳",
            marketingConsent: true,
            lastMonthSpendFen: 30_000n,
          }),
        ],
      },
      { facts: [fact(second!.subscriberId, { marketingConsent: false, lastMonthSpendFen: 25_000n })] },
    ]);
    expect(applied).toBe(3n);
    const rows = await service.db.audienceFact.findMany({
      where: { subscriberId: { in: [first!.subscriberId, second!.subscriberId, "sub_new_one"] } },
      orderBy: { subscriberId: "asc" },
    });
    expect(rows.find((row) => row.subscriberId === first!.subscriberId)).toMatchObject({
      provinceCode: "GD",
      city: first!.city,
      planCode: first!.planCode,
      lastMonthSpendFen: 20_000n,
    });
    expect(rows.find((row) => row.subscriberId === second!.subscriberId)).toMatchObject({
      marketingConsent: false,
      planCode: second!.planCode,
    });
    expect(rows.find((row) => row.subscriberId === "sub_new_one")).toMatchObject({
      city: "深圳",
      lastMonthSpendFen: 30_000n,
    });

    const bigSpenders = await service.client().estimateAudience(
      {
        audience: { ...noCondition, marketingConsentRequired: false, monthlySpend: { minFen: 15_000n, maxFen: 0n } },
        scope: { national: false, provinceCode: "GD" },
        holdoutPercent: 0,
      },
      { party: GD },
    );
    expect(bigSpenders.matching).toBe(3n);

    // Halls and operators may not write facts; a fact without a subscriber is refused.
    await expect(service.client("web-hall").importAudienceFacts([{ facts: [] }])).rejects.toMatchObject({
      reason: "CALLER_NOT_ALLOWED",
    });
    await expect(service.client("platform").importAudienceFacts([{ facts: [fact("", {})] }])).rejects.toMatchObject({
      reason: "SUBSCRIBER_ID_REQUIRED",
    });
  });
});
