import {
  OfferingLifecycle,
  UpdateOfferingRequest,
  UpdateOfferingResponse,
  type Offering,
} from "@omnihall/proto/omnihall/catalog/v1/catalog";
import type { CatalogDeps } from "../deps.js";
import { badField, offeringFieldFrozen, offeringRetired } from "../errors.js";
import { runOnce } from "../idempotency/request-log.js";
import { changingOfferings } from "./offering-snapshot.js";
import { lockOfferingByCode } from "./find-offering.js";
import { offeringFromRow, offeringTermsColumns } from "./offering-record.js";
import { validateOffering } from "./validate-offering.js";

/** update_mask paths and the Offering fields each one replaces. */
const UPDATABLE: Record<string, ReadonlyArray<keyof Offering>> = {
  name: ["name"],
  description: ["description"],
  price_fen: ["priceFen"],
  price_recurrence: ["priceRecurrence"],
  validity: ["validity"],
  unsubscribe_effect: ["unsubscribeEffect"],
  allowances: ["allowances"],
  availability: ["availability"],
  eligibility: ["eligibility"],
  trial: ["trial"],
  details: ["roaming", "broadband", "feature", "sim"],
};

/** What may still change once an offering is on sale: its commercial terms are what subscribers bought. */
const EDITABLE_WHILE_ACTIVE = new Set(["name", "description", "availability"]);

export async function updateOffering(
  { db }: CatalogDeps,
  request: UpdateOfferingRequest,
): Promise<UpdateOfferingResponse> {
  const call = {
    rpc: "UpdateOffering",
    request,
    requestCodec: UpdateOfferingRequest,
    responseCodec: UpdateOfferingResponse,
  };
  return changingOfferings(
    db,
    runOnce(db, call, async (tx) => {
      const paths = request.updateMask ?? [];
      if (paths.length === 0) {
        throw badField("UPDATE_MASK_REQUIRED", "update_mask", {
          "zh-CN": "请在 update_mask 中列出要修改的字段。",
          en: "List the fields to change in update_mask.",
        });
      }
      const unknown = paths.find((path) => !(path in UPDATABLE));
      if (unknown !== undefined) {
        throw badField("UPDATE_MASK_INVALID", "update_mask", {
          "zh-CN": `不能修改字段“${unknown}”。可修改：${Object.keys(UPDATABLE).join(", ")}。`,
          en: `The field "${unknown}" cannot be updated. Updatable: ${Object.keys(UPDATABLE).join(", ")}.`,
        });
      }
      const current = await lockOfferingByCode(tx, request.offering?.code ?? "", "offering.code");
      if (current.lifecycle === OfferingLifecycle.OFFERING_LIFECYCLE_RETIRED) throw offeringRetired(current.code);
      if (current.lifecycle === OfferingLifecycle.OFFERING_LIFECYCLE_ACTIVE) {
        const frozen = paths.find((path) => !EDITABLE_WHILE_ACTIVE.has(path));
        if (frozen !== undefined) throw offeringFieldFrozen(frozen);
      }
      const changed: Offering = { ...current };
      for (const path of paths) {
        for (const field of UPDATABLE[path]!) Object.assign(changed, { [field]: request.offering![field] });
      }
      validateOffering(changed);
      const row = await tx.offering.update({ where: { code: current.code }, data: offeringTermsColumns(changed) });
      return { offering: offeringFromRow(row) };
    }),
  );
}
