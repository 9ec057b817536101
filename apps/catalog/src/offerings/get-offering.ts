import { hasIdShape } from "@omnihall/ids";
import type { GetOfferingRequest, GetOfferingResponse } from "@omnihall/proto/omnihall/catalog/v1/catalog";
import { badField, offeringNotFound } from "../errors.js";
import type { CatalogDeps } from "../deps.js";
import { findOfferingByCode } from "./find-offering.js";
import { offeringFromRow } from "./offering-record.js";

export async function getOffering({ db }: CatalogDeps, request: GetOfferingRequest): Promise<GetOfferingResponse> {
  if (request.code !== undefined) return { offering: await findOfferingByCode(db, request.code, "code") };
  if (request.offeringId !== undefined) {
    if (!hasIdShape(request.offeringId, "off")) {
      throw badField("OFFERING_ID_MALFORMED", "offering_id", {
        "zh-CN": "商品编号格式不正确（应以 off_ 开头）。",
        en: 'The offering id is malformed (it starts with "off_").',
      });
    }
    const row = await db.offering.findUnique({ where: { id: request.offeringId } });
    if (!row) throw offeringNotFound(request.offeringId);
    return { offering: offeringFromRow(row) };
  }
  throw badField("LOOKUP_REQUIRED", "lookup", {
    "zh-CN": "请提供商品编码或商品编号。",
    en: "Give an offering code or an offering id.",
  });
}
