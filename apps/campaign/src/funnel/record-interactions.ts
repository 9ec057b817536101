import { CampaignSpec, InteractionKind } from "@omnihall/proto/omnihall/campaign/v1/campaign";
import type {
  Interaction,
  RecordInteractionsRequest,
  RecordInteractionsResponse,
  SkippedInteraction,
} from "@omnihall/proto/omnihall/campaign/v1/campaign";
import { channelToJSON } from "@omnihall/proto/omnihall/common/v1/common";
import { hasIdShape } from "@omnihall/ids";
import { type CallContext } from "@omnihall/service-kit";
import { outsideScope } from "../campaigns/campaign-access.js";
import { ids } from "../campaigns/ids.js";
import { CAMPAIGN_CHANNELS } from "../campaigns/validate-spec.js";
import type { CampaignDeps } from "../deps.js";
import { badField, channelInvalid } from "../errors.js";
import { recordContact } from "./contacts.js";

const MAX_BATCH = 500;
const CLIENT_EVENT_ID = /^[A-Za-z0-9_\-:.]{1,64}$/;
/** A hall's clock may run a little ahead; further than this is a bad time, not a future event. */
const CLOCK_SKEW_MS = 5 * 60_000;
const KIND_NAMES: Partial<Record<InteractionKind, string>> = {
  [InteractionKind.INTERACTION_KIND_IMPRESSION]: "IMPRESSION",
  [InteractionKind.INTERACTION_KIND_CLICK]: "CLICK",
  [InteractionKind.INTERACTION_KIND_REPLY]: "REPLY",
};

const invalid = (reason: string, field: string, zh: string, en: string) => badField(reason, field, { "zh-CN": zh, en });

/** The subscriber an interaction is about, as the acting party allows (a subscriber only ever reports themself). */
function subscriberOf(interaction: Interaction, index: number, ctx: CallContext): string | undefined {
  const field = `interactions[${index}].subscriber_id`;
  if (interaction.subscriberId && !hasIdShape(interaction.subscriberId, "sub")) {
    throw invalid("SUBSCRIBER_ID_MALFORMED", field, "用户编号格式不正确。", "The subscriber id is malformed.");
  }
  const party = ctx.party;
  if (party?.kind === "subscriber") {
    if (interaction.subscriberId && interaction.subscriberId !== party.subscriberId) throw outsideScope();
    return party.subscriberId || undefined;
  }
  return interaction.subscriberId || undefined;
}

function checkInteraction(interaction: Interaction, index: number, now: number): void {
  const field = (name: string) => `interactions[${index}].${name}`;
  if (!interaction.clientEventId) {
    throw invalid(
      "CLIENT_EVENT_ID_REQUIRED",
      field("client_event_id"),
      "每条记录需要渠道自己的事件编号。",
      "Every interaction needs the hall's own event id.",
    );
  }
  if (!CLIENT_EVENT_ID.test(interaction.clientEventId)) {
    throw invalid(
      "CLIENT_EVENT_ID_MALFORMED",
      field("client_event_id"),
      "事件编号应为 1 至 64 位字母、数字或 _-:.。",
      "The event id must be 1 to 64 letters, digits or _-:.",
    );
  }
  if (!ids.isCampaignId(interaction.campaignId)) {
    throw invalid(
      "CAMPAIGN_ID_MALFORMED",
      field("campaign_id"),
      "活动编号格式不正确（应以 cmp_ 开头）。",
      'The campaign id is malformed (it starts with "cmp_").',
    );
  }
  if (!KIND_NAMES[interaction.kind]) {
    throw invalid(
      "INTERACTION_KIND_INVALID",
      field("kind"),
      "互动类型应为曝光、点击或回复。",
      "The kind must be an impression, a click or a reply.",
    );
  }
  const time = interaction.occurTime?.getTime();
  if (time === undefined || Number.isNaN(time) || time > now + CLOCK_SKEW_MS) {
    throw invalid(
      "OCCUR_TIME_INVALID",
      field("occur_time"),
      "请填写发生时间（不能晚于当前时间）。",
      "The interaction needs the time it happened, not in the future.",
    );
  }
}

/**
 * RecordInteractions: a hall's batch of impressions, clicks and replies. Each is inserted under the hall's dedupe
 * key (channel, client_event_id), so a retried batch counts nothing twice; the funnel counts the rows. A
 * campaign unknown or not placed on this channel is skipped, not refused: a stale screen must not block reports.
 */
export async function recordInteractions(
  deps: CampaignDeps,
  request: RecordInteractionsRequest,
  ctx: CallContext,
): Promise<RecordInteractionsResponse> {
  const channel = ctx.channel || request.channel;
  if (!CAMPAIGN_CHANNELS.has(channel)) throw channelInvalid("channel");
  if (request.interactions.length === 0) {
    throw invalid("INTERACTIONS_REQUIRED", "interactions", "没有要记录的互动。", "The batch has no interactions.");
  }
  if (request.interactions.length > MAX_BATCH) {
    throw invalid(
      "TOO_MANY_INTERACTIONS",
      "interactions",
      `每批最多 ${MAX_BATCH} 条。`,
      `A batch holds at most ${MAX_BATCH} interactions.`,
    );
  }
  const now = Date.now();
  const subscribers = request.interactions.map((interaction, index) => {
    checkInteraction(interaction, index, now);
    return subscriberOf(interaction, index, ctx);
  });

  const channelName = channelToJSON(channel);
  const campaignIds = [...new Set(request.interactions.map((interaction) => interaction.campaignId))];
  const rows = await deps.db.campaign.findMany({
    where: { id: { in: campaignIds } },
    select: { id: true, spec: true },
  });
  const placed = new Set(
    rows
      .filter((row) => CampaignSpec.fromJSON(row.spec).channels.some((placement) => placement.channel === channel))
      .map((row) => row.id),
  );
  const known = new Set(rows.map((row) => row.id));

  const skipped: SkippedInteraction[] = [];
  let recorded = 0;
  let duplicates = 0;
  await deps.db.$transaction(async (tx) => {
    for (const [index, interaction] of request.interactions.entries()) {
      if (!placed.has(interaction.campaignId)) {
        const reason = known.has(interaction.campaignId) ? "CHANNEL_NOT_IN_CAMPAIGN" : "CAMPAIGN_NOT_FOUND";
        skipped.push({ clientEventId: interaction.clientEventId, reason });
        continue;
      }
      const subscriberId = subscribers[index] ?? null;
      const time = interaction.occurTime!;
      const inserted = await tx.$executeRaw`
        INSERT INTO funnel_interaction (channel, client_event_id, campaign_id, kind, subscriber_id, occur_time)
        VALUES (${channelName}, ${interaction.clientEventId}, ${interaction.campaignId},
                ${KIND_NAMES[interaction.kind]!}, ${subscriberId}, ${time})
        ON CONFLICT (channel, client_event_id) DO NOTHING`;
      if (inserted === 0) {
        duplicates += 1;
        continue;
      }
      recorded += 1;
      if (subscriberId) {
        await recordContact(tx, { campaignId: interaction.campaignId, subscriberId, channel: channelName, time });
      }
    }
  });
  return { recorded, duplicates, skipped };
}
