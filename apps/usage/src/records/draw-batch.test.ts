import { describe, expect, it } from "vitest";
import { AllowanceRecurrence, AllowanceUnit } from "@omnihall/proto/omnihall/catalog/v1/allowance";
import type { AllowanceGrant } from "../buckets/allowance-grant.js";
import type { CheckedRecord } from "./check-record.js";
import { drawBatch, slotsForRecords } from "./draw-batch.js";

const TZ = "Asia/Shanghai";
const DATA = AllowanceUnit.ALLOWANCE_UNIT_DATA_KB;
const plan: AllowanceGrant = {
  allowanceId: "alw_prd_plan_0",
  productId: "prd_plan",
  subscriberId: "sub_a",
  unit: DATA,
  quantity: 1000n,
  recurrence: AllowanceRecurrence.ALLOWANCE_RECURRENCE_MONTHLY,
  roamingCountryCode: "",
  validFrom: new Date("2026-01-01T00:00:00Z"),
  validUntil: null,
  timeZone: TZ,
  offeringCode: "PLAN_5G_59",
  offeringName: { zhCn: "5G 智享 59 元套餐", en: "5G Smart 59" },
  trial: false,
};
const pack: AllowanceGrant = {
  ...plan,
  allowanceId: "alw_prd_pack_0",
  productId: "prd_pack",
  quantity: 100n,
  recurrence: AllowanceRecurrence.ALLOWANCE_RECURRENCE_ONCE,
  validFrom: new Date("2026-11-10T00:00:00Z"),
  validUntil: new Date("2026-11-17T00:00:00Z"),
};
const japan: AllowanceGrant = { ...pack, allowanceId: "alw_prd_jp_0", productId: "prd_jp", roamingCountryCode: "JP" };
const grants = new Map([["sub_a", [plan, pack, japan]]]);

let seq = 0;
const record = (quantity: bigint, time: string, roamingCountryCode = ""): CheckedRecord => ({
  source: "t",
  recordId: `r${seq++}`,
  subscriberId: "sub_a",
  unit: DATA,
  quantity,
  usageTime: new Date(time),
  provinceCode: roamingCountryCode ? "" : "GD",
  roamingCountryCode,
});

function draw(records: CheckedRecord[], used: Record<string, bigint> = {}) {
  const { perRecord, all } = slotsForRecords(records, grants);
  const stored = new Map(
    [...all.values()].map((s) => [s.bucketId, { quota: s.grant.quantity, used: used[s.bucketId] ?? 0n }]),
  );
  return { slots: perRecord, drawn: drawBatch(records, perRecord, stored, () => TZ) };
}

describe("slotsForRecords", () => {
  it("orders the pack before the plan while the pack is valid, and keys monthly buckets by local month", () => {
    const { slots } = draw([
      record(1n, "2026-11-12T00:00:00Z"),
      record(1n, "2026-11-20T00:00:00Z"),
      record(1n, "2026-11-30T16:00:00Z"),
    ]);
    expect(slots.map((s) => s.map((b) => b.bucketId))).toEqual([
      ["bkt_prd_pack_0", "bkt_prd_plan_0_202611"],
      ["bkt_prd_plan_0_202611"],
      ["bkt_prd_plan_0_202612"],
    ]);
  });

  it("draws roaming usage only from that country's buckets", () => {
    const { slots } = draw([record(1n, "2026-11-12T00:00:00Z", "JP"), record(1n, "2026-11-12T00:00:00Z", "KR")]);
    expect(slots.map((s) => s.map((b) => b.bucketId))).toEqual([["bkt_prd_jp_0"], []]);
  });
});

describe("drawBatch", () => {
  it("draws in usage-time order and reports each threshold once with the record that reached it", () => {
    const { drawn } = draw([record(900n, "2026-11-20T02:00:00Z"), record(850n, "2026-11-20T01:00:00Z")]);
    expect(drawn.buckets).toEqual([expect.objectContaining({ quota: 1000n, usedBefore: 0n, usedAfter: 1750n })]);
    expect(drawn.crossings).toEqual([
      { bucketId: "bkt_prd_plan_0_202611", thresholdPercent: 80, crossTime: new Date("2026-11-20T01:00:00Z") },
      { bucketId: "bkt_prd_plan_0_202611", thresholdPercent: 100, crossTime: new Date("2026-11-20T02:00:00Z") },
    ]);
    expect(drawn.overages).toEqual([
      { subscriberId: "sub_a", unit: DATA, month: "2026-11", roamingCountryCode: "", quantity: 750n },
    ]);
  });

  it("starts from the stored counters and fills the pack before the plan", () => {
    const { drawn } = draw([record(150n, "2026-11-12T00:00:00Z")], { bkt_prd_pack_0: 70n });
    expect(drawn.buckets.map((b) => [b.slot.bucketId, b.usedBefore, b.usedAfter])).toEqual([
      ["bkt_prd_pack_0", 70n, 100n],
      ["bkt_prd_plan_0_202611", 0n, 120n],
    ]);
    expect(drawn.crossings.map((c) => [c.bucketId, c.thresholdPercent])).toEqual([
      ["bkt_prd_pack_0", 80],
      ["bkt_prd_pack_0", 100],
    ]);
    expect(drawn.overages).toEqual([]);
  });

  it("counts roaming usage without a pack as roaming overage", () => {
    const { drawn } = draw([record(10n, "2026-11-12T00:00:00Z", "KR")]);
    expect(drawn.buckets).toEqual([]);
    expect(drawn.overages).toEqual([
      { subscriberId: "sub_a", unit: DATA, month: "2026-11", roamingCountryCode: "KR", quantity: 10n },
    ]);
  });
});
