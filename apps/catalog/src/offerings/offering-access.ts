import {
  OfferingLifecycle,
  type ActivateOfferingRequest,
  type CreateOfferingRequest,
  type GetOfferingResponse,
  type ListOfferingsRequest,
  type RetireOfferingRequest,
  type UpdateOfferingRequest,
} from "@omnihall/proto/omnihall/catalog/v1/catalog";
import {
  NATIONAL_SCOPE,
  assertOperatorRole,
  assertPlaceInScope,
  isHall,
  permissionDenied,
  type CallContext,
} from "@omnihall/service-kit";
import type { CatalogDb } from "../db.js";
import { offeringNotFound } from "../errors.js";
import { findOfferingByCode } from "./find-offering.js";

type Access = Pick<CallContext, "party" | "caller">;

/**
 * Where an offering is sold decides who may author it: a province's operators only offerings sold in their
 * province alone, group HQ also nationwide ones (no provinces listed). An empty list needs the national scope.
 */
function assertProvincesInScope(ctx: Access, provinceCodes: readonly string[]): void {
  if (provinceCodes.length === 0) assertPlaceInScope(ctx, { provinceCode: NATIONAL_SCOPE });
  for (const provinceCode of provinceCodes) assertPlaceInScope(ctx, { provinceCode });
}

/** Writing offerings takes the author role; putting them on sale or off it the approver's (four eyes). */
export function assertMayCreate(ctx: Access, request: CreateOfferingRequest): void {
  assertOperatorRole(ctx, "author");
  assertProvincesInScope(ctx, request.offering?.availability?.provinceCodes ?? []);
}

export async function assertMayUpdate(db: CatalogDb, ctx: Access, request: UpdateOfferingRequest): Promise<void> {
  assertOperatorRole(ctx, "author");
  if (!ctx.party) return;
  const code = request.offering?.code ?? "";
  assertProvincesInScope(ctx, (await findOfferingByCode(db, code, "offering.code")).availability?.provinceCodes ?? []);
  // Moving an offering into another province is authoring there too.
  if (request.updateMask?.includes("availability")) {
    assertProvincesInScope(ctx, request.offering?.availability?.provinceCodes ?? []);
  }
}

export async function assertMayChangeLifecycle(
  db: CatalogDb,
  ctx: Access,
  request: ActivateOfferingRequest | RetireOfferingRequest,
): Promise<void> {
  assertOperatorRole(ctx, "approver");
  if (!ctx.party) return;
  assertProvincesInScope(ctx, (await findOfferingByCode(db, request.code, "code")).availability?.provinceCodes ?? []);
}

/**
 * Drafts are not public: an offering not yet launched is seen by operations staff and the services, never by a
 * subscriber-facing hall (it would announce a campaign before its time).
 */
function seesDrafts(ctx: Access): boolean {
  return !isHall(ctx.caller) || ctx.party?.kind === "operator";
}

export function hideDraft(ctx: Access, answer: GetOfferingResponse): GetOfferingResponse {
  const offering = answer.offering;
  if (offering?.lifecycle === OfferingLifecycle.OFFERING_LIFECYCLE_DRAFT && !seesDrafts(ctx)) {
    throw offeringNotFound(offering.code);
  }
  return answer;
}

export function assertMayListLifecycle(ctx: Access, request: ListOfferingsRequest): void {
  if (request.lifecycle === OfferingLifecycle.OFFERING_LIFECYCLE_DRAFT && !seesDrafts(ctx)) {
    throw permissionDenied("OFFERING_DRAFTS_HIDDEN", {
      "zh-CN": "未上架的商品仅运营人员可见。",
      en: "Offerings not yet on sale are visible to operations staff only.",
    });
  }
}
