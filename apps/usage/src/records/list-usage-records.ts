import { z } from "zod";
import { decodePageToken, encodePageToken, invalidArgument, pageSize } from "@omnihall/service-kit";
import type {
  ListUsageRecordsRequest,
  ListUsageRecordsResponse,
  UsageRecord,
} from "@omnihall/proto/omnihall/usage/v1/usage";
import { checkSubscriberId } from "../buckets/get-usage-summary.js";
import type { UsageDb } from "../database.js";

const DEFAULT_RANGE_MS = 31 * 24 * 3600_000;
/** The last row of a page: (usage_time, source, record_id) orders records totally. */
const position = z.tuple([z.iso.datetime(), z.string(), z.string()]);

interface RecordRow {
  source: string;
  record_id: string;
  subscriber_id: string;
  unit: number;
  /** int8 arrives as text. */
  quantity: string;
  usage_time: Date;
  province_code: string;
  roaming_country_code: string;
  ingest_time: Date;
}

/** ListUsageRecords: newest first, keyset-paged on (usage_time, source, record_id). */
export function listUsageRecords(db: UsageDb) {
  return async (request: ListUsageRecordsRequest): Promise<ListUsageRecordsResponse> => {
    checkSubscriberId(request.subscriberId);
    const end = request.endTime ?? new Date();
    const start = request.startTime ?? new Date(end.getTime() - DEFAULT_RANGE_MS);
    if (start.getTime() >= end.getTime()) {
      throw invalidArgument("TIME_RANGE_INVALID", {
        "zh-CN": "开始时间必须早于结束时间。",
        en: "The start time must be before the end time.",
      });
    }
    const size = pageSize(request.pageSize, { default: 50, max: 500 });
    // Bound to the filters as sent: a default end ("now") moves between pages, the page position does not.
    const filters = {
      subscriberId: request.subscriberId,
      start: request.startTime?.toISOString() ?? "",
      end: request.endTime?.toISOString() ?? "",
      unit: request.unit,
    };
    const after = decodePageToken(request.pageToken, position, filters);
    const rows = await db.query<RecordRow>(
      `SELECT source, record_id, subscriber_id, unit, quantity, usage_time, province_code, roaming_country_code,
              ingest_time
         FROM usage_record
        WHERE subscriber_id = $1 AND usage_time >= $2::timestamptz AND usage_time < $3::timestamptz
          AND ($4::int = 0 OR unit = $4::int)
          AND ($5::timestamptz IS NULL OR (usage_time, source, record_id) < ($5::timestamptz, $6::text, $7::text))
        ORDER BY usage_time DESC, source DESC, record_id DESC
        LIMIT $8`,
      [
        request.subscriberId,
        start.toISOString(),
        end.toISOString(),
        request.unit,
        after?.[0] ?? null,
        after?.[1] ?? "",
        after?.[2] ?? "",
        size + 1,
      ],
    );
    const page = rows.slice(0, size);
    const last = page.at(-1);
    return {
      records: page.map(toUsageRecord),
      nextPageToken:
        rows.length > size && last
          ? encodePageToken([new Date(last.usage_time).toISOString(), last.source, last.record_id], filters)
          : "",
    };
  };
}

function toUsageRecord(row: RecordRow): UsageRecord {
  return {
    source: row.source,
    recordId: row.record_id,
    subscriberId: row.subscriber_id,
    unit: row.unit,
    quantity: BigInt(row.quantity),
    usageTime: new Date(row.usage_time),
    provinceCode: row.province_code,
    roamingCountryCode: row.roaming_country_code,
    ingestTime: new Date(row.ingest_time),
  };
}
