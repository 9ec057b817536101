import type { AllowanceBucket } from "@omnihall/proto/omnihall/usage/v1/usage";
import type { UsageTx } from "../database.js";
import { type AllowanceGrant, type BucketSlot, bucketAt, compareDrawOrder } from "./allowance-grant.js";

/** A bucket as callers and reminders see it (TMF677-like: quota, used, remaining, validity). */
export function toAllowanceBucket(slot: BucketSlot, used: bigint): AllowanceBucket {
  const { grant } = slot;
  const quota = grant.quantity;
  return {
    bucketId: slot.bucketId,
    productId: grant.productId,
    offeringCode: grant.offeringCode,
    offeringName: grant.offeringName,
    unit: grant.unit,
    recurrence: grant.recurrence,
    roamingCountryCode: grant.roamingCountryCode,
    quota,
    used,
    remaining: quota > used ? quota - used : 0n,
    periodStartTime: slot.periodStart,
    periodEndTime: slot.periodEnd ?? undefined,
    trial: grant.trial,
  };
}

/**
 * Every bucket of the grants that counts usage at `time`, with its stored `used` (0 for a bucket no usage has
 * reached yet), ordered by unit, roaming scope and draw-down order.
 */
export async function bucketsAt(
  tx: UsageTx,
  grants: readonly AllowanceGrant[],
  time: Date,
): Promise<AllowanceBucket[]> {
  const slots = grants.map((g) => bucketAt(g, time)).filter((s): s is BucketSlot => s !== null);
  slots.sort(
    (a, b) =>
      a.grant.unit - b.grant.unit ||
      a.grant.roamingCountryCode.localeCompare(b.grant.roamingCountryCode) ||
      compareDrawOrder(a, b),
  );
  if (slots.length === 0) return [];
  const rows = await tx.query<{ id: string; used: string }>(`SELECT id, used FROM bucket WHERE id = ANY($1::text[])`, [
    slots.map((s) => s.bucketId),
  ]);
  const used = new Map(rows.map((r) => [r.id, BigInt(r.used)]));
  return slots.map((s) => toAllowanceBucket(s, used.get(s.bucketId) ?? 0n));
}
