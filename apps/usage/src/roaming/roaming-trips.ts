import { enqueue } from "@omnihall/bus";
import { bucketsAt } from "../buckets/bucket-report.js";
import type { KnownSubscribers } from "../buckets/load-grants.js";
import type { UsageTx } from "../database.js";
import { eventHeaders, RoamingEntered } from "../events.js";
import type { CheckedRecord } from "../records/check-record.js";

/**
 * Which of the batch's roaming usage starts a trip, given when the subscriber last used that country (null:
 * never). A trip starts with the earliest usage that comes more than `gapMs` after the previous usage there.
 * Pure.
 */
export function tripStart(usageTimes: readonly Date[], lastUsage: Date | null, gapMs: number): Date | null {
  const sorted = [...usageTimes].sort((a, b) => a.getTime() - b.getTime());
  let previous = lastUsage?.getTime() ?? null;
  for (const t of sorted) {
    if (previous === null || t.getTime() > previous + gapMs) return t;
    previous = Math.max(previous, t.getTime());
  }
  return null;
}

/**
 * Keeps each subscriber's last usage per roaming country and publishes `usage.roaming.entered` when a trip
 * starts. The roaming_trip row is locked (inserted or selected FOR UPDATE) before deciding, so concurrent
 * batches for the same trip publish one welcome between them; late records of an earlier trip start nothing.
 */
export async function recordRoamingTrips(
  tx: UsageTx,
  records: readonly CheckedRecord[],
  known: KnownSubscribers,
  options: { roamingTripGapMs: number; requestId?: string },
): Promise<void> {
  const timesByTrip = new Map<string, { subscriberId: string; countryCode: string; times: Date[] }>();
  for (const r of records) {
    if (r.roamingCountryCode === "") continue;
    const key = `${r.subscriberId}|${r.roamingCountryCode}`;
    const entry = timesByTrip.get(key) ?? {
      subscriberId: r.subscriberId,
      countryCode: r.roamingCountryCode,
      times: [],
    };
    entry.times.push(r.usageTime);
    timesByTrip.set(key, entry);
  }
  if (timesByTrip.size === 0) return;
  const trips = [...timesByTrip.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([, t]) => t);
  const latest = (times: Date[]) => new Date(Math.max(...times.map((t) => t.getTime())));
  const earliest = (times: Date[]) => new Date(Math.min(...times.map((t) => t.getTime())));

  const firstEver = await tx.query<{ subscriber_id: string; country_code: string }>(
    `INSERT INTO roaming_trip (subscriber_id, country_code, trip_start, last_usage_time)
     SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[])
     ON CONFLICT DO NOTHING
     RETURNING subscriber_id, country_code`,
    [
      trips.map((t) => t.subscriberId),
      trips.map((t) => t.countryCode),
      trips.map((t) => earliest(t.times).toISOString()),
      trips.map((t) => latest(t.times).toISOString()),
    ],
  );
  const started = new Map<string, Date>();
  for (const row of firstEver) {
    const trip = timesByTrip.get(`${row.subscriber_id}|${row.country_code}`)!;
    started.set(`${row.subscriber_id}|${row.country_code}`, earliest(trip.times));
  }

  const existing = trips.filter((t) => !started.has(`${t.subscriberId}|${t.countryCode}`));
  if (existing.length > 0) {
    const rows = await tx.query<{ subscriber_id: string; country_code: string; last_usage_time: Date }>(
      `SELECT subscriber_id, country_code, last_usage_time FROM roaming_trip
        WHERE (subscriber_id, country_code) IN (SELECT * FROM unnest($1::text[], $2::text[]))
        ORDER BY subscriber_id, country_code
        FOR UPDATE`,
      [existing.map((t) => t.subscriberId), existing.map((t) => t.countryCode)],
    );
    const lastUsage = new Map(rows.map((r) => [`${r.subscriber_id}|${r.country_code}`, new Date(r.last_usage_time)]));
    const newStarts: Array<string | null> = [];
    for (const t of existing) {
      const key = `${t.subscriberId}|${t.countryCode}`;
      const start = tripStart(t.times, lastUsage.get(key) ?? null, options.roamingTripGapMs);
      if (start) started.set(key, start);
      newStarts.push(start?.toISOString() ?? null);
    }
    await tx.query(
      `UPDATE roaming_trip
          SET trip_start = coalesce(v.trip_start, roaming_trip.trip_start),
              last_usage_time = greatest(roaming_trip.last_usage_time, v.last_usage_time)
         FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::timestamptz[])
              AS v(subscriber_id, country_code, trip_start, last_usage_time)
        WHERE roaming_trip.subscriber_id = v.subscriber_id AND roaming_trip.country_code = v.country_code`,
      [
        existing.map((t) => t.subscriberId),
        existing.map((t) => t.countryCode),
        newStarts,
        existing.map((t) => latest(t.times).toISOString()),
      ],
    );
  }

  const headers = eventHeaders(options.requestId);
  for (const [key, firstUsageTime] of started) {
    const [subscriberId, countryCode] = key.split("|") as [string, string];
    const grants = (known.grants.get(subscriberId) ?? []).filter((g) => g.roamingCountryCode === countryCode);
    await enqueue(
      tx,
      RoamingEntered,
      { subscriberId, countryCode, firstUsageTime, buckets: await bucketsAt(tx, grants, firstUsageTime) },
      { headers },
    );
  }
}
