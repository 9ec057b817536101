import { invalidArgument, type CallContext } from "@omnihall/service-kit";
import { IngestUsageResponse, type IngestUsageRequest } from "@omnihall/proto/omnihall/usage/v1/usage";
import type { UsageDb } from "../database.js";
import type { RecordTimeLimits } from "./check-record.js";
import { ingestBatch, tallyOutcome } from "./ingest-batch.js";
import { IngestTally } from "./ingest-tally.js";

/** The most records one IngestUsage call takes: one transaction's worth. Larger feeds use StreamUsage. */
export const MAX_RECORDS_PER_CALL = 10_000;

export interface IngestSettings extends RecordTimeLimits {
  roamingTripGapMs: number;
}

/**
 * IngestUsage: the batch in one transaction together with its request id, whose first response a retry gets
 * back (a concurrent retry waits on the request id's row and then reads that response).
 */
export function ingestUsage(db: UsageDb, settings: IngestSettings) {
  return async (request: IngestUsageRequest, ctx: CallContext): Promise<IngestUsageResponse> => {
    if (request.requestId === "") {
      throw invalidArgument("REQUEST_ID_REQUIRED", {
        "zh-CN": "请求缺少 request_id。",
        en: "The request needs a request_id.",
      });
    }
    if (request.records.length > MAX_RECORDS_PER_CALL) {
      throw invalidArgument("RECORDS_TOO_MANY", {
        "zh-CN": `每次最多提交 ${MAX_RECORDS_PER_CALL} 条话单，更多请使用流式接口。`,
        en: `At most ${MAX_RECORDS_PER_CALL} records per call; use StreamUsage for more.`,
      });
    }
    return db.transaction(async (tx) => {
      const claimed = await tx.query<unknown>(
        `INSERT INTO ingest_request (request_id, response) VALUES ($1, ''::bytea)
         ON CONFLICT DO NOTHING RETURNING request_id`,
        [request.requestId],
      );
      if (claimed.length === 0) {
        const [first] = await tx.query<{ response: Uint8Array }>(
          `SELECT response FROM ingest_request WHERE request_id = $1`,
          [request.requestId],
        );
        ctx.log.info({ requestId: request.requestId }, "repeated ingest request answered with its first response");
        return IngestUsageResponse.decode(first!.response);
      }
      const tally = new IngestTally();
      const outcome = await ingestBatch(
        tx,
        request.records.map((record, index) => ({ index, record, tally })),
        { ...settings, now: new Date(), requestId: ctx.requestId },
      );
      tallyOutcome(outcome);
      const response: IngestUsageResponse = { result: tally.toResult() };
      await tx.query(`UPDATE ingest_request SET response = $2 WHERE request_id = $1`, [
        request.requestId,
        Buffer.from(IngestUsageResponse.encode(response).finish()),
      ]);
      return response;
    });
  };
}
