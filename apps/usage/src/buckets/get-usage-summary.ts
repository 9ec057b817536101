import { invalidArgument, notFound } from "@omnihall/service-kit";
import type { GetUsageSummaryRequest, GetUsageSummaryResponse } from "@omnihall/proto/omnihall/usage/v1/usage";
import type { UsageDb } from "../database.js";
import { SUBSCRIBER_ID } from "../records/check-record.js";
import { loadGrants } from "./load-grants.js";
import { usageReport } from "./usage-report.js";

export function checkSubscriberId(subscriberId: string): void {
  if (!SUBSCRIBER_ID.test(subscriberId)) {
    throw invalidArgument("SUBSCRIBER_ID_MALFORMED", {
      "zh-CN": "用户编号格式不正确。",
      en: "The subscriber id is malformed.",
    });
  }
}

/** GetUsageSummary: the buckets valid at as_of_time (default now) and that month's overage. */
export function getUsageSummary(db: UsageDb) {
  return async (request: GetUsageSummaryRequest): Promise<GetUsageSummaryResponse> => {
    checkSubscriberId(request.subscriberId);
    const asOf = request.asOfTime ?? new Date();
    return db.$transaction(async (tx) => {
      const known = await loadGrants(tx, [request.subscriberId]);
      const timeZone = known.timeZones.get(request.subscriberId);
      if (!timeZone) {
        throw notFound("SUBSCRIBER_NOT_FOUND", {
          "zh-CN": "没有该用户的用量信息。",
          en: "There is no usage for this subscriber.",
        });
      }
      const report = await usageReport(
        tx,
        request.subscriberId,
        timeZone,
        known.grants.get(request.subscriberId)!,
        asOf,
      );
      return { subscriberId: request.subscriberId, asOfTime: asOf, ...report };
    });
  };
}
