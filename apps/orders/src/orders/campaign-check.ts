import { CampaignState, type Campaign } from "@omnihall/proto/omnihall/campaign/v1/campaign";
import { campaignStateToJSON } from "@omnihall/proto/omnihall/campaign/v1/campaign";
import type { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import type { Subscriber } from "@omnihall/proto/omnihall/customer/v1/customer";
import { hasIdShape } from "@omnihall/ids";
import { callFailureOf, refusalOf } from "../dependencies/call-errors.js";
import { OrderErrors } from "../errors.js";
import type { OrdersContext } from "../orders-context.js";

/**
 * The campaign an order names, checked with the campaign service before anything is stored (no transaction is
 * open during the call): it exists, is LIVE, runs on the order's channel, offers this offering and reaches the
 * subscriber's province and city. The campaign service answers an unknown id like one out of scope.
 */
export async function checkCampaign(
  ctx: OrdersContext,
  order: { campaignId: string; offeringCode: string; channel: Channel },
  subscriber: Subscriber,
): Promise<Campaign | undefined> {
  if (order.campaignId === "") return undefined;
  if (!hasIdShape(order.campaignId, "cmp")) throw OrderErrors.campaignIdMalformed();
  let campaign: Campaign | undefined;
  try {
    ({ campaign } = await ctx.deps.campaign.getCampaign(
      { campaignId: order.campaignId },
      { deadlineMs: ctx.dependencyDeadlineMs },
    ));
  } catch (error) {
    const refusal = refusalOf(error);
    if (refusal?.reason === "OUTSIDE_PARTY_SCOPE" || refusal?.reason === "CAMPAIGN_ID_MALFORMED") {
      throw OrderErrors.campaignNotFound();
    }
    if (callFailureOf(error)) throw OrderErrors.dependencyUnavailable();
    throw error;
  }
  const spec = campaign?.spec;
  if (!campaign || !spec) throw OrderErrors.campaignNotFound();
  if (campaign.state !== CampaignState.CAMPAIGN_STATE_LIVE) {
    throw OrderErrors.campaignNotLive(campaignStateToJSON(campaign.state));
  }
  if (!spec.channels.some((placement) => placement.channel === order.channel)) {
    throw OrderErrors.campaignChannelMismatch();
  }
  if (spec.offer?.offeringCode !== order.offeringCode) throw OrderErrors.campaignOfferingMismatch();
  const provinces = spec.audience?.provinceCodes.length
    ? spec.audience.provinceCodes
    : spec.scope && !spec.scope.national
      ? [spec.scope.provinceCode]
      : [];
  const cities = spec.audience?.cities ?? [];
  if (
    (provinces.length > 0 && !provinces.includes(subscriber.provinceCode)) ||
    (cities.length > 0 && !cities.includes(subscriber.city))
  ) {
    throw OrderErrors.campaignNotForSubscriber();
  }
  return campaign;
}

/** What the order costs under the campaign: its own price, or its discount (rounded down) off the catalog's. */
export function campaignChargeFen(catalogChargeFen: bigint, campaign: Campaign | undefined): bigint {
  const offer = campaign?.spec?.offer;
  if (!offer) return catalogChargeFen;
  if (offer.hasPrice) return offer.priceFen;
  if (offer.discountBps > 0) return (catalogChargeFen * BigInt(10_000 - offer.discountBps)) / 10_000n;
  return catalogChargeFen;
}
