import type { AllowanceBucket, Overage } from "@omnihall/proto/omnihall/usage/v1/usage";
import type { UsageTx } from "../database.js";
import type { AllowanceGrant } from "./allowance-grant.js";
import { bucketsAt } from "./bucket-report.js";
import { monthOf } from "./calendar.js";

/** A subscriber's usage at a moment: the buckets then valid and the overage of that month. */
export interface UsageReport {
  month: string;
  buckets: AllowanceBucket[];
  overages: Overage[];
}

export async function usageReport(
  tx: UsageTx,
  subscriberId: string,
  timeZone: string,
  grants: readonly AllowanceGrant[],
  time: Date,
): Promise<UsageReport> {
  const month = monthOf(time, timeZone).month;
  const [buckets, overages] = await Promise.all([
    bucketsAt(tx, grants, time),
    tx.query<{ unit: number; roaming_country_code: string; quantity: string }>(
      `SELECT unit, roaming_country_code, quantity FROM overage
        WHERE subscriber_id = $1 AND month = $2 ORDER BY unit, roaming_country_code`,
      [subscriberId, month],
    ),
  ]);
  return {
    month,
    buckets,
    overages: overages.map((o) => ({
      unit: o.unit,
      roamingCountryCode: o.roaming_country_code,
      quantity: BigInt(o.quantity),
    })),
  };
}
