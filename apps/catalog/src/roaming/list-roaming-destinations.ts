import type {
  ListRoamingDestinationsRequest,
  ListRoamingDestinationsResponse,
} from "@omnihall/proto/omnihall/catalog/v1/catalog";
import { decodePageToken, encodePageToken, pageSize } from "@omnihall/service-kit";
import { z } from "zod";
import type { CatalogDeps } from "../deps.js";
import { roamingDestinationFromRow } from "./roaming-record.js";

export async function listRoamingDestinations(
  { db }: CatalogDeps,
  request: ListRoamingDestinationsRequest,
): Promise<ListRoamingDestinationsResponse> {
  const size = pageSize(request.pageSize, { default: 50, max: 200 });
  const after = decodePageToken(request.pageToken, z.string(), {});
  const rows = await db.roamingDestination.findMany({
    where: after === undefined ? {} : { countryCode: { gt: after } },
    orderBy: { countryCode: "asc" },
    take: size + 1,
  });
  const page = rows.slice(0, size);
  return {
    destinations: page.map(roamingDestinationFromRow),
    nextPageToken: rows.length > size ? encodePageToken(page.at(-1)!.countryCode, {}) : "",
  };
}
