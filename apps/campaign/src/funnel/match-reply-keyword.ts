import type {
  MatchReplyKeywordRequest,
  MatchReplyKeywordResponse,
} from "@omnihall/proto/omnihall/campaign/v1/campaign";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import type { CallContext } from "@omnihall/service-kit";
import type { CampaignDeps } from "../deps.js";
import { badField } from "../errors.js";
import { listOffers } from "../live/list-offers.js";

/** What a subscriber typed, as a keyword: full-width folded (ＫＴ１ → KT1), spaces dropped, upper case. */
export function normalizeKeyword(text: string): string {
  return text.normalize("NFKC").replace(/\s+/g, "").toUpperCase();
}

/**
 * MatchReplyKeyword: the live SMS offer (of those the acting subscriber may see, as ListOffers answers) whose reply
 * keyword the subscriber texted. Several campaigns may share a keyword ("1"): the one that contacted the
 * subscriber last wins, else the latest started.
 */
export async function matchReplyKeyword(
  deps: CampaignDeps,
  request: MatchReplyKeywordRequest,
  ctx: CallContext,
): Promise<MatchReplyKeywordResponse> {
  const keyword = normalizeKeyword(request.keyword);
  if (!keyword) {
    throw badField("REPLY_KEYWORD_REQUIRED", "keyword", {
      "zh-CN": "请提供回复内容。",
      en: "The request needs the text the subscriber replied.",
    });
  }
  // Longer than any keyword can be: no need to look.
  if (keyword.length > 8) return { matched: false, offer: undefined };
  const { offers } = await listOffers(
    deps,
    { channel: Channel.CHANNEL_SMS_HALL, provinceCode: "", city: "" },
    { ...ctx, channel: Channel.CHANNEL_SMS_HALL },
  );
  const candidates = offers.filter((offer) => offer.creative?.smsReplyKeyword === keyword);
  if (candidates.length <= 1)
    return candidates[0] ? { matched: true, offer: candidates[0] } : { matched: false, offer: undefined };

  const ids = candidates.map((offer) => offer.campaignId);
  const subscriberId = ctx.party?.kind === "subscriber" ? ctx.party.subscriberId : "";
  // The campaign that reached the subscriber last: its wave's SMS, or a hall's report naming them.
  const [contacted] = subscriberId
    ? await deps.db.$queryRaw<Array<{ campaign_id: string }>>`
        SELECT campaign_id FROM (
          SELECT campaign_id, contact_time AS at FROM wave_contact
           WHERE subscriber_id = ${subscriberId} AND campaign_id = ANY(${ids}::text[])
          UNION ALL
          SELECT campaign_id, last_contact_time FROM funnel_contact
           WHERE subscriber_id = ${subscriberId} AND campaign_id = ANY(${ids}::text[])) AS contacts
        ORDER BY at DESC LIMIT 1`
    : [];
  const chosen =
    contacted?.campaign_id ??
    (await deps.db.campaign.findFirst({ where: { id: { in: ids } }, orderBy: { startTime: "desc" } }))?.id;
  const offer = candidates.find((candidate) => candidate.campaignId === chosen) ?? candidates[0]!;
  return { matched: true, offer };
}
