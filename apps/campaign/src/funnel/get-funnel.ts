import {
  CampaignSpec,
  type ChannelFunnel,
  type FunnelLift,
  type GetCampaignFunnelRequest,
  type GetCampaignFunnelResponse,
} from "@omnihall/proto/omnihall/campaign/v1/campaign";
import { Audience } from "@omnihall/proto/omnihall/campaign/v1/campaign";
import { Channel, channelFromJSON } from "@omnihall/proto/omnihall/common/v1/common";
import type { CallContext } from "@omnihall/service-kit";
import { audienceConditions } from "../audience/estimate-audience.js";
import { assertMay, checkCampaignId, outsideScope, READ_ROLES } from "../campaigns/campaign-access.js";
import { stateToProto } from "../campaigns/campaign-record.js";
import type { CampaignDeps } from "../deps.js";
import { Prisma } from "../generated/prisma/client.js";
import { holdoutBucketSql } from "../audience/holdout.js";

const emptyFunnel = (channel: Channel): ChannelFunnel => ({
  channel,
  impressions: 0n,
  clicks: 0n,
  replies: 0n,
  ordersPlaced: 0n,
  ordersCompleted: 0n,
  ordersLost: 0n,
  revenueFen: 0n,
  optOuts: 0n,
});

const bps = (part: bigint, whole: bigint) => (whole > 0n ? Number((part * 10_000n) / whole) : 0);

/**
 * GetCampaignFunnel: counted now from the funnel's rows (each interaction, order and opt-out is one row, written
 * once), per channel and in total, with the lift of the contacted group against the holdout.
 */
export async function getCampaignFunnel(
  deps: CampaignDeps,
  request: GetCampaignFunnelRequest,
  ctx: CallContext,
): Promise<GetCampaignFunnelResponse> {
  const campaignId = checkCampaignId(request.campaignId);
  const row = await deps.db.campaign.findUnique({ where: { id: campaignId } });
  // Unknown and out-of-scope look alike (nobody probes what exists).
  if (!row) throw outsideScope();
  assertMay(ctx, READ_ROLES, row.provinceCode);
  const spec = CampaignSpec.fromJSON(row.spec);

  const [interactions, orders, optOuts, conversions, holdout] = await Promise.all([
    // The halls' reports, and the SMS wave's messages (wave_contact: one per subscriber handed to notify) as the
    // SMS channel's impressions.
    deps.db.$queryRaw<Array<{ channel: string; kind: string; n: bigint }>>`
      SELECT channel, kind, count(*) AS n FROM funnel_interaction WHERE campaign_id = ${campaignId}
       GROUP BY channel, kind
      UNION ALL
      SELECT 'CHANNEL_SMS_HALL', 'IMPRESSION', count(*) FROM wave_contact WHERE campaign_id = ${campaignId}`,
    deps.db.$queryRaw<Array<{ channel: string; placed: bigint; completed: bigint; lost: bigint; revenue: bigint }>>`
      SELECT channel, count(*) AS placed,
             count(*) FILTER (WHERE outcome = 'COMPLETED') AS completed,
             count(*) FILTER (WHERE outcome = 'LOST') AS lost,
             COALESCE(sum(price_fen - refunded_fen) FILTER (WHERE outcome = 'COMPLETED'), 0)::bigint AS revenue
        FROM funnel_order WHERE campaign_id = ${campaignId} GROUP BY channel`,
    deps.db.$queryRaw<Array<{ channel: string; n: bigint }>>`
      SELECT channel, count(*) AS n FROM funnel_opt_out WHERE campaign_id = ${campaignId} GROUP BY channel`,
    deps.db.$queryRaw<Array<{ contacted: bigint; contacted_converted: bigint; holdout_converted: bigint }>>`
      SELECT (SELECT count(*) FROM (
                SELECT subscriber_id FROM funnel_contact WHERE campaign_id = ${campaignId}
                UNION SELECT subscriber_id FROM wave_contact WHERE campaign_id = ${campaignId}) AS reached
             ) AS contacted,
             count(*) FILTER (WHERE lift = 'CONTACTED') AS contacted_converted,
             count(*) FILTER (WHERE lift = 'HOLDOUT') AS holdout_converted
        FROM funnel_conversion WHERE campaign_id = ${campaignId}`,
    // The holdout group: audience members held out, by today's facts (the same rule the estimate counts).
    deps.db.$queryRaw<Array<{ n: bigint }>>`
      SELECT count(*) AS n FROM audience_fact
       WHERE ${Prisma.join(
         [
           Prisma.sql`${holdoutBucketSql(campaignId)} < ${spec.holdoutPercent}`,
           ...audienceConditions(spec.audience ?? Audience.fromPartial({}), row.provinceCode ?? undefined),
         ],
         " AND ",
       )}`,
  ]);

  const byChannel = new Map<Channel, ChannelFunnel>(
    spec.channels.map((placement) => [placement.channel, emptyFunnel(placement.channel)]),
  );
  const total = emptyFunnel(Channel.CHANNEL_UNSPECIFIED);
  const rowsOf = (channel: string) => [byChannel.get(channelFromJSON(channel)), total].filter((f) => f !== undefined);
  for (const { channel, kind, n } of interactions) {
    for (const funnel of rowsOf(channel)) {
      if (kind === "IMPRESSION") funnel.impressions += n;
      else if (kind === "CLICK") funnel.clicks += n;
      else if (kind === "REPLY") funnel.replies += n;
    }
  }
  for (const { channel, placed, completed, lost, revenue } of orders) {
    for (const funnel of rowsOf(channel)) {
      funnel.ordersPlaced += placed;
      funnel.ordersCompleted += completed;
      funnel.ordersLost += lost;
      funnel.revenueFen += revenue;
    }
  }
  for (const { channel, n } of optOuts) for (const funnel of rowsOf(channel)) funnel.optOuts += n;

  const counts = conversions[0];
  const contacted = counts?.contacted ?? 0n;
  const contactedConverted = counts?.contacted_converted ?? 0n;
  const holdoutSubscribers = holdout[0]?.n ?? 0n;
  const holdoutConverted = counts?.holdout_converted ?? 0n;
  const contactedBps = bps(contactedConverted, contacted);
  const holdoutBps = bps(holdoutConverted, holdoutSubscribers);
  const lift: FunnelLift = {
    contactedSubscribers: contacted,
    contactedConverted,
    holdoutSubscribers,
    holdoutConverted,
    contactedConversionBps: contactedBps,
    holdoutConversionBps: holdoutBps,
    liftBps: contacted > 0n && holdoutSubscribers > 0n ? contactedBps - holdoutBps : 0,
  };
  return {
    campaignId,
    state: stateToProto(row.state),
    channels: [...byChannel.values()],
    total,
    lift,
    asOfTime: new Date(),
  };
}
