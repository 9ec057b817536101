import {
  type GetRoamingDestinationRequest,
  type GetRoamingDestinationResponse,
} from "@omnihall/proto/omnihall/catalog/v1/catalog";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import type { CatalogDeps } from "../deps.js";
import { channelInvalid, countryCodeMalformed, provinceCodeUnknown, roamingDestinationNotFound } from "../errors.js";
import { offeringFromRow } from "../offerings/offering-record.js";
import { COUNTRY_CODE } from "../offerings/validate-offering.js";
import { channelName, isSpecified } from "../proto-enums.js";
import { isKnownProvince } from "../provinces.js";
import { roamingDestinationFromRow } from "./roaming-record.js";

export async function getRoamingDestination(
  { db }: CatalogDeps,
  request: GetRoamingDestinationRequest,
): Promise<GetRoamingDestinationResponse> {
  if (!COUNTRY_CODE.test(request.countryCode)) throw countryCodeMalformed("country_code");
  if (request.provinceCode && !isKnownProvince(request.provinceCode)) {
    throw provinceCodeUnknown("province_code", request.provinceCode);
  }
  if (request.channel !== 0 && !isSpecified(Channel, request.channel)) throw channelInvalid("channel");
  const destination = await db.roamingDestination.findUnique({ where: { countryCode: request.countryCode } });
  if (!destination) throw roamingDestinationNotFound(request.countryCode);
  const packs = await db.offering.findMany({
    where: {
      kind: "ROAMING_PACK",
      lifecycle: "ACTIVE",
      roamingCountryCode: request.countryCode,
      ...(request.provinceCode && {
        OR: [{ provinceCodes: { isEmpty: true } }, { provinceCodes: { has: request.provinceCode } }],
      }),
      ...(request.channel && { channels: { has: channelName(request.channel) } }),
    },
    orderBy: [{ priceFen: "asc" }, { code: "asc" }],
  });
  return { destination: roamingDestinationFromRow(destination), packs: packs.map(offeringFromRow) };
}
