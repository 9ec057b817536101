import { decodePageToken, encodePageToken, pageSize } from "@omnihall/service-kit";
import {
  OfferingKind,
  OfferingLifecycle,
  type ListOfferingsRequest,
  type ListOfferingsResponse,
} from "@omnihall/proto/omnihall/catalog/v1/catalog";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { z } from "zod";
import type { CatalogDeps } from "../deps.js";
import { badField, channelInvalid, countryCodeMalformed, provinceCodeUnknown } from "../errors.js";
import { channelName, enumName, isSpecified } from "../proto-enums.js";
import { isKnownProvince } from "../provinces.js";
import { offeringSnapshot, type SnapshotOffering } from "./offering-snapshot.js";
import { COUNTRY_CODE } from "./validate-offering.js";

const filterInvalid = (field: string) =>
  badField("FILTER_INVALID", field, {
    "zh-CN": "筛选条件的取值无效。",
    en: "The filter value is not valid.",
  });

/** A filter enum: 0 means "no filter", any other value must be one this build knows. */
function enumFilter<E extends Record<string, string | number>>(enumObject: E, value: number, field: string) {
  if (value === 0) return undefined;
  if (!isSpecified(enumObject, value)) throw filterInvalid(field);
  return value;
}

export async function listOfferings(
  { db }: CatalogDeps,
  request: ListOfferingsRequest,
): Promise<ListOfferingsResponse> {
  const size = pageSize(request.pageSize, { default: 50, max: 200 });
  const kind = enumFilter(OfferingKind, request.kind, "kind");
  const lifecycle =
    enumFilter(OfferingLifecycle, request.lifecycle, "lifecycle") ?? OfferingLifecycle.OFFERING_LIFECYCLE_ACTIVE;
  if (request.channel !== 0 && !isSpecified(Channel, request.channel)) throw channelInvalid("channel");
  if (request.provinceCode && !isKnownProvince(request.provinceCode)) {
    throw provinceCodeUnknown("province_code", request.provinceCode);
  }
  if (request.roamingCountryCode && !COUNTRY_CODE.test(request.roamingCountryCode)) {
    throw countryCodeMalformed("roaming_country_code");
  }
  const filters = {
    kind,
    lifecycle,
    province: request.provinceCode,
    channel: request.channel,
    roaming: request.roamingCountryCode,
  };
  const after = decodePageToken(request.pageToken, z.string(), filters);

  // The same filter as the query it replaces, over the in-memory snapshot (sorted by code).
  const storedLifecycle = enumName(OfferingLifecycle, "OFFERING_LIFECYCLE_", lifecycle);
  const storedKind = kind && enumName(OfferingKind, "OFFERING_KIND_", kind);
  const storedChannel = request.channel ? channelName(request.channel) : undefined;
  const { sorted } = await offeringSnapshot(db);
  const rows: SnapshotOffering[] = [];
  for (const entry of sorted) {
    if (rows.length > size) break;
    if (after !== undefined && entry.code <= after) continue;
    if (entry.lifecycle !== storedLifecycle) continue;
    if (storedKind && entry.kind !== storedKind) continue;
    if (request.provinceCode && entry.provinceCodes.length > 0 && !entry.provinceCodes.includes(request.provinceCode)) {
      continue;
    }
    if (storedChannel && !entry.channels.includes(storedChannel)) continue;
    if (request.roamingCountryCode && entry.roamingCountryCode !== request.roamingCountryCode) continue;
    rows.push(entry);
  }
  const page = rows.slice(0, size);
  return {
    offerings: page.map((entry) => entry.offering),
    nextPageToken: rows.length > size ? encodePageToken(page.at(-1)!.code, filters) : "",
  };
}
