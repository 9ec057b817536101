import { AllowanceRecurrence, type AllowanceUnit } from "@omnihall/proto/omnihall/catalog/v1/allowance";
import { monthOf } from "./calendar.js";

/** One allowance of one product a subscriber holds, as the orders events described it. */
export interface AllowanceGrant {
  allowanceId: string;
  productId: string;
  subscriberId: string;
  unit: AllowanceUnit;
  /** Quota per period. */
  quantity: bigint;
  recurrence: AllowanceRecurrence;
  /** Empty for domestic usage. */
  roamingCountryCode: string;
  /** The product's validity: [validFrom, validUntil); validUntil null while open-ended. */
  validFrom: Date;
  validUntil: Date | null;
  /** The holder's zone, in which monthly allowances renew. */
  timeZone: string;
  /** The product, for reports and reminders. */
  offeringCode: string;
  offeringName: { zhCn: string; en: string };
  trial: boolean;
}

/** The bucket of a grant that counts usage at one moment. */
export interface BucketSlot {
  bucketId: string;
  grant: AllowanceGrant;
  periodStart: Date;
  /** Exclusive; null for an open-ended one-off allowance. */
  periodEnd: Date | null;
}

export function allowanceId(productId: string, index: number): string {
  return `alw_${productId}_${index}`;
}

/** The grant's bucket for usage at `time`, or null when the product does not cover that moment. */
export function bucketAt(grant: AllowanceGrant, time: Date): BucketSlot | null {
  const t = time.getTime();
  if (t < grant.validFrom.getTime() || (grant.validUntil && t >= grant.validUntil.getTime())) return null;
  const base = grant.allowanceId.slice("alw_".length);
  if (grant.recurrence === AllowanceRecurrence.ALLOWANCE_RECURRENCE_MONTHLY) {
    const month = monthOf(time, grant.timeZone);
    return {
      bucketId: `bkt_${base}_${month.month.replace("-", "")}`,
      grant,
      periodStart: month.start,
      periodEnd: month.end,
    };
  }
  return { bucketId: `bkt_${base}`, grant, periodStart: grant.validFrom, periodEnd: grant.validUntil };
}

/** When the bucket stops counting: the end of its period or of its product, whichever is first. */
function bucketEnd(slot: BucketSlot): number {
  const ends = [slot.periodEnd, slot.grant.validUntil].filter((d): d is Date => d !== null).map((d) => d.getTime());
  return ends.length ? Math.min(...ends) : Number.POSITIVE_INFINITY;
}

/**
 * Draw-down order (documented on UsageService): one-off packs before monthly allowances, so what expires with
 * its pack is used first; then the bucket that ends soonest; then the oldest grant; the id settles ties.
 */
export function compareDrawOrder(a: BucketSlot, b: BucketSlot): number {
  const once = (s: BucketSlot) => (s.grant.recurrence === AllowanceRecurrence.ALLOWANCE_RECURRENCE_MONTHLY ? 1 : 0);
  return (
    once(a) - once(b) ||
    bucketEnd(a) - bucketEnd(b) ||
    a.grant.validFrom.getTime() - b.grant.validFrom.getTime() ||
    (a.bucketId < b.bucketId ? -1 : a.bucketId > b.bucketId ? 1 : 0)
  );
}

/**
 * The buckets a record of `unit` at `time` draws from, in draw-down order: the same unit, a product valid at
 * that time, and the same roaming scope (a roaming record only from that country's buckets).
 */
export function bucketsFor(
  grants: readonly AllowanceGrant[],
  unit: AllowanceUnit,
  roamingCountryCode: string,
  time: Date,
): BucketSlot[] {
  const slots: BucketSlot[] = [];
  for (const grant of grants) {
    if (grant.unit !== unit || grant.roamingCountryCode !== roamingCountryCode) continue;
    const slot = bucketAt(grant, time);
    if (slot) slots.push(slot);
  }
  return slots.sort(compareDrawOrder);
}
