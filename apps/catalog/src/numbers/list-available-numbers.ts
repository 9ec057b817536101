import type {
  ListAvailableNumbersRequest,
  ListAvailableNumbersResponse,
} from "@omnihall/proto/omnihall/catalog/v1/catalog";
import { decodePageToken, encodePageToken, pageSize } from "@omnihall/service-kit";
import { z } from "zod";
import type { CatalogDeps } from "../deps.js";
import { badField, provinceCodeUnknown } from "../errors.js";
import { isKnownProvince } from "../provinces.js";
import { numberPatternToLike } from "./number-pattern.js";

export async function listAvailableNumbers(
  { db }: CatalogDeps,
  request: ListAvailableNumbersRequest,
): Promise<ListAvailableNumbersResponse> {
  if (!request.provinceCode) {
    throw badField("PROVINCE_CODE_REQUIRED", "province_code", {
      "zh-CN": "请选择号码归属省份。",
      en: "Choose the province the number belongs to.",
    });
  }
  if (!isKnownProvince(request.provinceCode)) throw provinceCodeUnknown("province_code", request.provinceCode);
  const like = numberPatternToLike(request.pattern);
  const size = pageSize(request.pageSize, { default: 20, max: 100 });
  const filters = { province: request.provinceCode, pattern: request.pattern };
  const after = decodePageToken(request.pageToken, z.string().regex(/^\d{11}$/), filters) ?? "";

  // Free = not sold and not held by an unexpired reservation; an expired hold frees the number by itself.
  const rows = await db.$queryRaw<Array<{ msisdn: string; province_code: string; selection_fee_fen: bigint }>>`
    SELECT msisdn, province_code, selection_fee_fen FROM pool_number
    WHERE province_code = ${request.provinceCode}
      AND sold_order_id IS NULL
      AND (held_until IS NULL OR held_until <= now())
      AND msisdn LIKE ${like}
      AND msisdn > ${after}
    ORDER BY msisdn
    LIMIT ${size + 1}`;
  const page = rows.slice(0, size).map((row) => ({
    msisdn: row.msisdn,
    provinceCode: row.province_code,
    selectionFeeFen: row.selection_fee_fen,
  }));
  return {
    numbers: page,
    nextPageToken: rows.length > size ? encodePageToken(page.at(-1)!.msisdn, filters) : "",
  };
}
