import type { AllowanceUnit } from "@omnihall/proto/omnihall/catalog/v1/allowance";
import { type AllowanceGrant, type BucketSlot, bucketsFor } from "../buckets/allowance-grant.js";
import { monthOf } from "../buckets/calendar.js";
import { type BucketCounter, crossedThresholds, drawDown } from "../buckets/draw-down.js";
import type { CheckedRecord } from "./check-record.js";

/** A bucket a batch drew from: its counter before the batch and after it. */
export interface TouchedBucket {
  slot: BucketSlot;
  quota: bigint;
  usedBefore: bigint;
  usedAfter: bigint;
}

/** A threshold a bucket reached in the batch, and the usage time of the record that reached it. */
export interface Crossing {
  bucketId: string;
  thresholdPercent: number;
  crossTime: Date;
}

/** Usage beyond every bucket, summed per subscriber, unit, month (in the subscriber's zone) and roaming scope. */
export interface OverageSum {
  subscriberId: string;
  unit: AllowanceUnit;
  month: string;
  roamingCountryCode: string;
  quantity: bigint;
}

export interface DrawnBatch {
  buckets: TouchedBucket[];
  crossings: Crossing[];
  overages: OverageSum[];
}

/** Every bucket slot the records draw from, per record in draw-down order, and all of them by id. */
export function slotsForRecords(
  records: readonly CheckedRecord[],
  grantsBySubscriber: ReadonlyMap<string, readonly AllowanceGrant[]>,
): { perRecord: BucketSlot[][]; all: Map<string, BucketSlot> } {
  const all = new Map<string, BucketSlot>();
  const perRecord = records.map((r) => {
    const slots = bucketsFor(grantsBySubscriber.get(r.subscriberId) ?? [], r.unit, r.roamingCountryCode, r.usageTime);
    for (const s of slots) if (!all.has(s.bucketId)) all.set(s.bucketId, s);
    return slots;
  });
  return { perRecord, all };
}

/**
 * Draws new records from their buckets in usage-time order, starting from each bucket's stored `used`. Pure:
 * the caller holds the bucket rows locked, so before/after are exact and each threshold is seen once.
 */
export function drawBatch(
  records: readonly CheckedRecord[],
  perRecord: readonly BucketSlot[][],
  stored: ReadonlyMap<string, { quota: bigint; used: bigint }>,
  timeZoneOf: (subscriberId: string) => string,
): DrawnBatch {
  const counters = new Map<string, BucketCounter & { slot: BucketSlot; usedBefore: bigint }>();
  const counterOf = (slot: BucketSlot) => {
    let c = counters.get(slot.bucketId);
    if (!c) {
      const row = stored.get(slot.bucketId);
      if (!row) throw new Error(`Bucket ${slot.bucketId} was not loaded before drawing`);
      c = { slot, quota: row.quota, used: row.used, usedBefore: row.used };
      counters.set(slot.bucketId, c);
    }
    return c;
  };
  const crossings: Crossing[] = [];
  const overages = new Map<string, OverageSum>();
  const order = records
    .map((_, i) => i)
    .sort((a, b) => records[a]!.usageTime.getTime() - records[b]!.usageTime.getTime());
  for (const i of order) {
    const record = records[i]!;
    const buckets = perRecord[i]!.map(counterOf);
    const before = buckets.map((b) => b.used);
    const overage = drawDown(buckets, record.quantity);
    buckets.forEach((b, j) => {
      for (const percent of crossedThresholds(b.quota, before[j]!, b.used)) {
        crossings.push({ bucketId: b.slot.bucketId, thresholdPercent: percent, crossTime: record.usageTime });
      }
    });
    if (overage > 0n) {
      const month = monthOf(record.usageTime, timeZoneOf(record.subscriberId)).month;
      const key = `${record.subscriberId}|${record.unit}|${month}|${record.roamingCountryCode}`;
      const sum = overages.get(key);
      if (sum) sum.quantity += overage;
      else {
        overages.set(key, {
          subscriberId: record.subscriberId,
          unit: record.unit,
          month,
          roamingCountryCode: record.roamingCountryCode,
          quantity: overage,
        });
      }
    }
  }
  return {
    buckets: [...counters.values()]
      .filter((c) => c.used !== c.usedBefore)
      .map((c) => ({ slot: c.slot, quota: c.quota, usedBefore: c.usedBefore, usedAfter: c.used })),
    crossings,
    overages: [...overages.values()],
  };
}
