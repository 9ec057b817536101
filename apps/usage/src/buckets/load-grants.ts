import type { UsageTx } from "../database.js";
import type { AllowanceGrant } from "./allowance-grant.js";

interface GrantRow {
  subscriber_id: string;
  time_zone: string;
  allowance_id: string | null;
  product_id: string;
  unit: number;
  /** int8 arrives as text. */
  quantity: string;
  recurrence: number;
  roaming_country_code: string;
  start_time: Date;
  end_time: Date | null;
  offering_code: string;
  offering_name_zh: string;
  offering_name_en: string;
  trial: boolean;
}

/** The subscribers usage knows among `subscriberIds`, with their zones and every allowance they hold or held. */
export interface KnownSubscribers {
  timeZones: Map<string, string>;
  grants: Map<string, AllowanceGrant[]>;
}

/** Loads the allowance grants of the given subscribers in one query. */
export async function loadGrants(tx: UsageTx, subscriberIds: readonly string[]): Promise<KnownSubscribers> {
  const rows = await tx.query<GrantRow>(
    `SELECT s.id AS subscriber_id, s.time_zone, a.id AS allowance_id, a.product_id, a.unit, a.quantity,
            a.recurrence, a.roaming_country_code, p.start_time, p.end_time, p.offering_code, p.offering_name_zh,
            p.offering_name_en, p.trial
       FROM subscriber s
       LEFT JOIN allowance a ON a.subscriber_id = s.id
       LEFT JOIN product p ON p.id = a.product_id
      WHERE s.id = ANY($1::text[])`,
    [subscriberIds],
  );
  const known: KnownSubscribers = { timeZones: new Map(), grants: new Map() };
  for (const row of rows) {
    known.timeZones.set(row.subscriber_id, row.time_zone);
    const grants = known.grants.get(row.subscriber_id) ?? [];
    known.grants.set(row.subscriber_id, grants);
    if (row.allowance_id === null) continue;
    grants.push({
      allowanceId: row.allowance_id,
      productId: row.product_id,
      subscriberId: row.subscriber_id,
      unit: row.unit,
      quantity: BigInt(row.quantity),
      recurrence: row.recurrence,
      roamingCountryCode: row.roaming_country_code,
      validFrom: new Date(row.start_time),
      validUntil: row.end_time === null ? null : new Date(row.end_time),
      timeZone: row.time_zone,
      offeringCode: row.offering_code,
      offeringName: { zhCn: row.offering_name_zh, en: row.offering_name_en },
      trial: row.trial,
    });
  }
  return known;
}
