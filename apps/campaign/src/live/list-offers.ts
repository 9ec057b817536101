import type { ListOffersRequest, ListOffersResponse } from "@omnihall/proto/omnihall/campaign/v1/campaign";
import { assertPlaceInScope, type CallContext } from "@omnihall/service-kit";
import { CAMPAIGN_CHANNELS } from "../campaigns/validate-spec.js";
import { isProvinceCode } from "../campaigns/provinces.js";
import { outsideScope } from "../campaigns/campaign-access.js";
import type { CampaignDeps } from "../deps.js";
import { channelInvalid, provinceCodeUnknown } from "../errors.js";

/**
 * ListOffers: the live offers of the asking hall's channel in one place, from the in-memory set (no database).
 * An agent or a kiosk asks about its own territory or shop's province (empty: that one); a subscriber hall names
 * the subscriber's province and city.
 */
export function listOffers(deps: CampaignDeps, request: ListOffersRequest, ctx: CallContext): ListOffersResponse {
  const channel = ctx.channel || request.channel;
  if (!CAMPAIGN_CHANNELS.has(channel)) throw channelInvalid("channel");
  const party = ctx.party;
  let provinceCode = request.provinceCode;
  let city = request.city || undefined;
  if (party?.kind === "agent" && !provinceCode) {
    provinceCode = party.territory.provinceCode;
    city ??= party.territory.city;
  }
  if (party?.kind === "device" && !provinceCode) provinceCode = party.provinceCode;
  if (!isProvinceCode(provinceCode)) throw provinceCodeUnknown("province_code", provinceCode);
  if (party?.kind === "agent" || party?.kind === "operator") assertPlaceInScope(ctx, { provinceCode, city });
  // A kiosk shows its own shop's province (the kit's place check admits no device, which acts for nobody).
  if (party?.kind === "device" && provinceCode !== party.provinceCode) throw outsideScope();
  return { offers: deps.board.offersFor(channel, { provinceCode, city }) };
}
