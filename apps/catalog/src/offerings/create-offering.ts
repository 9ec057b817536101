import { isUniqueViolation } from "@omnihall/db";
import {
  CreateOfferingRequest,
  CreateOfferingResponse,
  OfferingLifecycle,
  type Offering,
} from "@omnihall/proto/omnihall/catalog/v1/catalog";
import type { CatalogDeps } from "../deps.js";
import { badField, offeringCodeTaken } from "../errors.js";
import { runOnce } from "../idempotency/request-log.js";
import { changingOfferings } from "./offering-snapshot.js";
import { newOfferingId, offeringFromRow, offeringTermsColumns } from "./offering-record.js";
import { validateOffering } from "./validate-offering.js";

export async function createOffering(
  { db }: CatalogDeps,
  request: CreateOfferingRequest,
): Promise<CreateOfferingResponse> {
  const call = {
    rpc: "CreateOffering",
    request,
    requestCodec: CreateOfferingRequest,
    responseCodec: CreateOfferingResponse,
  };
  return changingOfferings(
    db,
    runOnce(db, call, async (tx) => {
      if (!request.offering) {
        throw badField("OFFERING_REQUIRED", "offering", {
          "zh-CN": "请提供商品内容。",
          en: "The request needs an offering.",
        });
      }
      const offering: Offering = { ...request.offering, lifecycle: OfferingLifecycle.OFFERING_LIFECYCLE_DRAFT };
      validateOffering(offering);
      try {
        const row = await tx.offering.create({ data: { id: newOfferingId(), ...offeringTermsColumns(offering) } });
        return { offering: offeringFromRow(row) };
      } catch (error) {
        // The code is the business key halls and orders use: taking one twice is a mistake, not a retry.
        if (isUniqueViolation(error, "offering_code_key")) throw offeringCodeTaken(offering.code);
        throw error;
      }
    }),
  );
}
