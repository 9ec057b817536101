import { invalidArgument, notFound } from "@omnihall/service-kit";
import type { GetDailyUsageRequest, GetDailyUsageResponse } from "@omnihall/proto/omnihall/usage/v1/usage";
import { checkSubscriberId } from "../buckets/get-usage-summary.js";
import type { UsageDb } from "../database.js";

const DEFAULT_DAYS = 31;
const MAX_DAYS = 92;

interface DayRow {
  date: string;
  unit: number;
  /** int8 sums arrive as text. */
  quantity: string;
  roaming_quantity: string;
}

/**
 * GetDailyUsage: usage added up per calendar day of the subscriber's time zone (a day in Urumqi is not a day in
 * Shanghai) and unit, in one set-based query over the (subscriber_id, usage_time) index.
 */
export function getDailyUsage(db: UsageDb) {
  return async (request: GetDailyUsageRequest): Promise<GetDailyUsageResponse> => {
    checkSubscriberId(request.subscriberId);
    const days = request.days || DEFAULT_DAYS;
    if (days < 1 || days > MAX_DAYS) {
      throw invalidArgument("DAYS_INVALID", {
        "zh-CN": `天数须在 1 到 ${MAX_DAYS} 之间。`,
        en: `Days must be between 1 and ${MAX_DAYS}.`,
      });
    }
    const [subscriber] = await db.query<{ time_zone: string }>("SELECT time_zone FROM subscriber WHERE id = $1", [
      request.subscriberId,
    ]);
    if (!subscriber) {
      throw notFound("SUBSCRIBER_NOT_FOUND", {
        "zh-CN": "没有该用户的用量信息。",
        en: "There is no usage for this subscriber.",
      });
    }
    const rows = await db.query<DayRow>(
      `SELECT to_char(usage_time AT TIME ZONE $2, 'YYYY-MM-DD') AS date, unit,
              sum(quantity)::text AS quantity,
              sum(CASE WHEN roaming_country_code <> '' THEN quantity ELSE 0 END)::text AS roaming_quantity
         FROM usage_record
        WHERE subscriber_id = $1
          AND usage_time >= (date_trunc('day', now() AT TIME ZONE $2) - ($3::int - 1) * interval '1 day') AT TIME ZONE $2
        GROUP BY 1, 2
        ORDER BY 1 DESC, 2`,
      [request.subscriberId, subscriber.time_zone, days],
    );
    return {
      timeZone: subscriber.time_zone,
      days: rows.map((row) => ({
        date: row.date,
        unit: row.unit,
        quantity: BigInt(row.quantity),
        roamingQuantity: BigInt(row.roaming_quantity),
      })),
    };
  };
}
