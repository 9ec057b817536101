import type { ListOffersRequest, ListOffersResponse } from "@omnihall/proto/omnihall/campaign/v1/campaign";
import { assertPlaceInScope, type CallContext } from "@omnihall/service-kit";
import { outsideScope } from "../campaigns/campaign-access.js";
import { isProvinceCode } from "../campaigns/provinces.js";
import { CAMPAIGN_CHANNELS } from "../campaigns/validate-spec.js";
import type { CampaignDeps } from "../deps.js";
import { channelInvalid, provinceCodeUnknown } from "../errors.js";

/** Where the request is about: named, else the acting party's own place (undefined: not known). */
async function placeOf(
  deps: CampaignDeps,
  request: ListOffersRequest,
  ctx: CallContext,
): Promise<{ provinceCode: string; city?: string } | undefined> {
  const party = ctx.party;
  if (request.provinceCode) return { provinceCode: request.provinceCode, city: request.city || undefined };
  switch (party?.kind) {
    case "agent":
      return { provinceCode: party.territory.provinceCode, city: request.city || party.territory.city };
    case "device":
      return { provinceCode: party.provinceCode, city: request.city || undefined };
    case "subscriber": {
      // The subscriber's home from the audience facts this service keeps (one key read): the hall's session
      // knows who, not where.
      const fact = party.subscriberId
        ? await deps.db.audienceFact.findUnique({
            where: { subscriberId: party.subscriberId },
            select: { provinceCode: true, city: true },
          })
        : null;
      return fact?.provinceCode ? { provinceCode: fact.provinceCode, city: fact.city ?? undefined } : undefined;
    }
    default:
      return undefined;
  }
}

/**
 * ListOffers: the live offers of the asking hall's channel in one place, from the in-memory set. An agent or a
 * kiosk asks about its own territory or shop's province (empty: that one); a subscriber hall names a place or
 * gets the subscriber's home (national offers only while it is not known).
 */
export async function listOffers(
  deps: CampaignDeps,
  request: ListOffersRequest,
  ctx: CallContext,
): Promise<ListOffersResponse> {
  const channel = ctx.channel || request.channel;
  if (!CAMPAIGN_CHANNELS.has(channel)) throw channelInvalid("channel");
  const place = await placeOf(deps, request, ctx);
  if (!place) {
    if (ctx.party?.kind !== "subscriber") throw provinceCodeUnknown("province_code", "");
    return { offers: deps.board.offersFor(channel, { provinceCode: "" }) };
  }
  if (!isProvinceCode(place.provinceCode)) throw provinceCodeUnknown("province_code", place.provinceCode);
  const party = ctx.party;
  if (party?.kind === "agent" || party?.kind === "operator") assertPlaceInScope(ctx, place);
  // A kiosk shows its own shop's province (the kit's place check admits no device, which acts for nobody).
  if (party?.kind === "device" && place.provinceCode !== party.provinceCode) throw outsideScope();
  return { offers: deps.board.offersFor(channel, place) };
}
