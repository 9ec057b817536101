import { enqueueAll } from "@omnihall/bus";
import type { UsageRecord } from "@omnihall/proto/omnihall/usage/v1/usage";
import type { BucketSlot } from "../buckets/allowance-grant.js";
import { toAllowanceBucket } from "../buckets/bucket-report.js";
import { usedPercent } from "../buckets/draw-down.js";
import { loadGrants, type KnownSubscribers } from "../buckets/load-grants.js";
import type { UsageTx } from "../database.js";
import { eventHeaders, QuotaThresholdCrossed } from "../events.js";
import { recordRoamingTrips } from "../roaming/roaming-trips.js";
import { type CheckedRecord, checkRecord, type RecordTimeLimits, type RejectReason } from "./check-record.js";
import { type DrawnBatch, drawBatch, slotsForRecords } from "./draw-batch.js";
import type { IngestTally } from "./ingest-tally.js";

export interface IngestOptions extends RecordTimeLimits {
  now: Date;
  /** Usage in a roaming country this long after the last usage there is a new trip (a new welcome). */
  roamingTripGapMs: number;
  /** Passed on to the events, for logs. */
  requestId?: string;
}

/** A record with its position in the request or stream, and the tally of that request or stream. */
export interface IndexedRecord {
  index: number;
  record: UsageRecord;
  tally: IngestTally;
}

/** What a committed batch did with each record; counted into the tallies only once the batch has committed. */
export interface BatchOutcome {
  accepted: IndexedRecord[];
  duplicates: IndexedRecord[];
  rejected: Array<{ item: IndexedRecord; reason: RejectReason }>;
}

export function tallyOutcome(outcome: BatchOutcome): void {
  for (const item of outcome.accepted) item.tally.accepted(1);
  for (const item of outcome.duplicates) item.tally.duplicates(1);
  for (const { item, reason } of outcome.rejected) item.tally.rejected(item.index, item.record, reason);
}

/**
 * Counts one batch of records in the caller's transaction, set-based so a batch costs a handful of round trips
 * whatever its size: one multi-row insert that drops records already counted (the primary key is the dedupe),
 * one load of the subscribers' allowances, the buckets created and locked by one upsert in id order, the
 * draw-down in memory, and the reminder events for the thresholds crossed between each bucket's used before and
 * after — made once each by threshold_crossing's primary key, in the same transaction as the counters, so a
 * crash or a replay can neither lose nor repeat one. Tallies are left to the caller, for after the commit.
 */
export async function ingestBatch(
  tx: UsageTx,
  batch: readonly IndexedRecord[],
  options: IngestOptions,
): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { accepted: [], duplicates: [], rejected: [] };
  const checked: Array<{ item: IndexedRecord; record: CheckedRecord }> = [];
  for (const item of batch) {
    const result = checkRecord(item.record, options.now, options);
    if ("reason" in result) outcome.rejected.push({ item, reason: result.reason });
    else checked.push({ item, record: result.record });
  }
  if (checked.length === 0) return outcome;

  const known = await loadGrants(tx, [...new Set(checked.map((c) => c.record.subscriberId))]);
  const unique = new Map<string, { item: IndexedRecord; record: CheckedRecord }>();
  for (const c of checked) {
    const key = recordKey(c.record);
    if (!known.timeZones.has(c.record.subscriberId)) {
      outcome.rejected.push({ item: c.item, reason: "SUBSCRIBER_UNKNOWN" });
    } else if (unique.has(key)) {
      outcome.duplicates.push(c.item);
    } else {
      unique.set(key, c);
    }
  }
  if (unique.size === 0) return outcome;

  const candidates = [...unique.values()].map((u) => u.record);
  const fresh = new Set(await insertRecords(tx, candidates));
  for (const [key, { item }] of unique) (fresh.has(key) ? outcome.accepted : outcome.duplicates).push(item);
  if (fresh.size === 0) return outcome;

  const freshRecords = [...unique.entries()].filter(([key]) => fresh.has(key)).map(([, u]) => u.record);
  const drawn = await drawFromBuckets(tx, freshRecords, known);
  await publishCrossings(tx, drawn, options.requestId);
  await addOverages(tx, drawn);
  await recordRoamingTrips(tx, freshRecords, known, options);
  return outcome;
}

const recordKey = (r: { source: string; recordId: string }) => `${r.source}\u0000${r.recordId}`;

/**
 * Inserts the records; returns the keys of those not counted before. Sorted: concurrent batches lock in one order.
 * ON CONFLICT without a target meets usage_record's only unique key, its primary key (source, record_id,
 * usage_time): usage_time is in it because the table is partitioned by it, and a resent record carries the same
 * usage_time, so a resend still conflicts with its first copy, in whichever month's partition that lies.
 */
async function insertRecords(tx: UsageTx, records: CheckedRecord[]): Promise<string[]> {
  records.sort((a, b) => (recordKey(a) < recordKey(b) ? -1 : 1));
  const inserted = await tx.query<{ source: string; record_id: string }>(
    `INSERT INTO usage_record (source, record_id, subscriber_id, unit, quantity, usage_time, province_code,
                               roaming_country_code)
     SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::smallint[], $5::bigint[], $6::timestamptz[],
                          $7::text[], $8::text[])
     ON CONFLICT DO NOTHING
     RETURNING source, record_id`,
    [
      records.map((r) => r.source),
      records.map((r) => r.recordId),
      records.map((r) => r.subscriberId),
      records.map((r) => r.unit),
      records.map((r) => r.quantity.toString()),
      records.map((r) => r.usageTime.toISOString()),
      records.map((r) => r.provinceCode),
      records.map((r) => r.roamingCountryCode),
    ],
  );
  return inserted.map((row) => recordKey({ source: row.source, recordId: row.record_id }));
}

/**
 * Creates the buckets the records reach, locks them, draws the records down and writes the new counters.
 *
 * Most buckets are the only one their records can draw from (a plan without packs): what they receive does not
 * depend on how full they are, so one upsert adds it and returns the total, from which used-before follows. A
 * bucket that shares records with others (a pack and the plan) is locked by the same statement (adding 0), the
 * draw-down decides its share from its stored counter, and a second statement writes it. One statement in id
 * order takes every bucket lock, so concurrent batches queue rather than deadlock.
 */
async function drawFromBuckets(tx: UsageTx, records: CheckedRecord[], known: KnownSubscribers): Promise<DrawnBatch> {
  const { perRecord, all } = slotsForRecords(records, known.grants);
  const shared = new Set<string>();
  const added = new Map<string, bigint>();
  perRecord.forEach((slots, i) => {
    if (slots.length === 1) added.set(slots[0]!.bucketId, (added.get(slots[0]!.bucketId) ?? 0n) + records[i]!.quantity);
    else for (const slot of slots) shared.add(slot.bucketId);
  });
  const addedTo = (bucketId: string) => (shared.has(bucketId) ? 0n : (added.get(bucketId) ?? 0n));

  const slots = [...all.values()].sort((a, b) => (a.bucketId < b.bucketId ? -1 : 1));
  const stored = new Map<string, { quota: bigint; used: bigint }>();
  if (slots.length > 0) {
    const rows = await tx.query<{ id: string; quota: string; used: string }>(
      `INSERT INTO bucket (id, allowance_id, subscriber_id, period_start, period_end, quota, used)
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::timestamptz[], $5::timestamptz[], $6::bigint[],
                            $7::bigint[])
       ON CONFLICT (id) DO UPDATE SET used = bucket.used + excluded.used, updated_at = now()
       RETURNING id, quota, used`,
      [
        slots.map((s) => s.bucketId),
        slots.map((s) => s.grant.allowanceId),
        slots.map((s) => s.grant.subscriberId),
        slots.map((s) => s.periodStart.toISOString()),
        slots.map((s) => s.periodEnd?.toISOString() ?? null),
        slots.map((s) => s.grant.quantity.toString()),
        slots.map((s) => addedTo(s.bucketId).toString()),
      ],
    );
    for (const row of rows) {
      stored.set(row.id, { quota: BigInt(row.quota), used: BigInt(row.used) - addedTo(row.id) });
    }
  }
  const drawn = drawBatch(records, perRecord, stored, (id) => known.timeZones.get(id)!);
  const drawnShared = drawn.buckets.filter((b) => shared.has(b.slot.bucketId));
  if (drawnShared.length > 0) {
    await tx.query(
      `UPDATE bucket SET used = v.used, updated_at = now()
         FROM unnest($1::text[], $2::bigint[]) AS v(id, used)
        WHERE bucket.id = v.id`,
      [drawnShared.map((b) => b.slot.bucketId), drawnShared.map((b) => b.usedAfter.toString())],
    );
  }
  return drawn;
}

/** One event per new (bucket, threshold); a crossing already recorded (a replay, a race) makes none. */
async function publishCrossings(tx: UsageTx, drawn: DrawnBatch, requestId: string | undefined): Promise<void> {
  if (drawn.crossings.length === 0) return;
  const recorded = await tx.query<{ bucket_id: string; threshold_percent: number }>(
    `INSERT INTO threshold_crossing (bucket_id, threshold_percent, cross_time)
     SELECT * FROM unnest($1::text[], $2::int[], $3::timestamptz[])
     ON CONFLICT DO NOTHING
     RETURNING bucket_id, threshold_percent`,
    [
      drawn.crossings.map((c) => c.bucketId),
      drawn.crossings.map((c) => c.thresholdPercent),
      drawn.crossings.map((c) => c.crossTime.toISOString()),
    ],
  );
  const buckets = new Map<string, { slot: BucketSlot; usedAfter: bigint }>(
    drawn.buckets.map((b) => [b.slot.bucketId, b]),
  );
  const crossTimes = new Map(drawn.crossings.map((c) => [`${c.bucketId}|${c.thresholdPercent}`, c.crossTime]));
  const events = recorded.map((row) => {
    const bucket = buckets.get(row.bucket_id)!;
    return {
      subscriberId: bucket.slot.grant.subscriberId,
      bucket: toAllowanceBucket(bucket.slot, bucket.usedAfter),
      thresholdPercent: row.threshold_percent,
      usedPercent: usedPercent(bucket.slot.grant.quantity, bucket.usedAfter),
      crossTime: crossTimes.get(`${row.bucket_id}|${row.threshold_percent}`),
    };
  });
  await enqueueAll(tx, QuotaThresholdCrossed, events, { headers: eventHeaders(requestId) });
}

async function addOverages(tx: UsageTx, drawn: DrawnBatch): Promise<void> {
  if (drawn.overages.length === 0) return;
  const rows = [...drawn.overages].sort((a, b) =>
    `${a.subscriberId}|${a.unit}|${a.month}|${a.roamingCountryCode}` <
    `${b.subscriberId}|${b.unit}|${b.month}|${b.roamingCountryCode}`
      ? -1
      : 1,
  );
  await tx.query(
    `INSERT INTO overage (subscriber_id, unit, month, roaming_country_code, quantity)
     SELECT * FROM unnest($1::text[], $2::smallint[], $3::text[], $4::text[], $5::bigint[])
     ON CONFLICT (subscriber_id, unit, month, roaming_country_code)
     DO UPDATE SET quantity = overage.quantity + excluded.quantity`,
    [
      rows.map((o) => o.subscriberId),
      rows.map((o) => o.unit),
      rows.map((o) => o.month),
      rows.map((o) => o.roamingCountryCode),
      rows.map((o) => o.quantity.toString()),
    ],
  );
}
