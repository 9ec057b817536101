import type {
  GetCampaignDeliveryStatsRequest,
  GetCampaignDeliveryStatsResponse,
  WithdrawCampaignMessagesRequest,
  WithdrawCampaignMessagesResponse,
} from "@omnihall/proto/omnihall/notify/v1/notify";
import { notifyError } from "../errors.js";
import type { NotifyDeps } from "../service-deps.js";

/** last_error of a marketing message withdrawn with its campaign (paused or ended). */
export const WITHDRAWN = "WITHDRAWN";
/** Failures that are no delivery failure: the message was stopped on purpose. */
const STOPPED = [WITHDRAWN, "MARKETING_OPTED_OUT", "MARKETING_CONSENT_MISSING"];

function requireCampaignId(campaignId: string): string {
  const id = campaignId.trim();
  if (!id) throw notifyError("CAMPAIGN_ID_REQUIRED", { field: "campaign_id" });
  return id;
}

/**
 * WithdrawCampaignMessages: the campaign's marketing not yet sent fails as WITHDRAWN, in one statement. A
 * message whose consent check has passed (submitting_until set) is already on its way and is left alone; one
 * claimed but not yet checked is withdrawn too, and its dispatcher then cannot mark it as submitting (see
 * markSubmitting), so it is not sent.
 */
export function withdrawCampaignMessages({ db }: Pick<NotifyDeps, "db">) {
  return async (request: WithdrawCampaignMessagesRequest): Promise<WithdrawCampaignMessagesResponse> => {
    const campaignId = requireCampaignId(request.campaignId);
    const withdrawn = await db.$executeRaw`
      UPDATE message SET status = 'FAILED', last_error = ${WITHDRAWN}, finished_at = now(), claimed_until = NULL
      WHERE campaign_id = ${campaignId} AND campaign_id <> '' AND kind = 'MARKETING' AND status IN ('QUEUED', 'DEFERRED')
        AND (submitting_until IS NULL OR submitting_until < now())`;
    return { withdrawn: BigInt(withdrawn) };
  };
}

/**
 * GetCampaignDeliveryStats: one aggregate over the campaign's messages. `campaign_id <> ''` (true of any campaign id)
 * is the campaign index's condition: spelled out, a generic plan of the statement can use that partial index too.
 */
export function getCampaignDeliveryStats({ db }: Pick<NotifyDeps, "db">) {
  return async (request: GetCampaignDeliveryStatsRequest): Promise<GetCampaignDeliveryStatsResponse> => {
    const campaignId = requireCampaignId(request.campaignId);
    const rows = await db.$queryRaw<Array<{ status: string; stopped: boolean; count: bigint }>>`
      SELECT status::text AS status, (last_error = ANY(${STOPPED}::text[])) AS stopped, count(*) AS count
      FROM message WHERE campaign_id = ${campaignId} AND campaign_id <> '' GROUP BY 1, 2`;
    const stats: GetCampaignDeliveryStatsResponse = { pending: 0n, sent: 0n, delivered: 0n, failed: 0n, withdrawn: 0n };
    for (const { status, stopped, count } of rows) {
      if (status === "QUEUED" || status === "DEFERRED") stats.pending += count;
      else if (status === "SENT") stats.sent += count;
      else if (status === "DELIVERED") stats.delivered += count;
      else if (stopped) stats.withdrawn += count;
      else stats.failed += count;
    }
    return stats;
  };
}
