import {
  EligibilityRules,
  type CheckEligibilityRequest,
  type CheckEligibilityResponse,
} from "@omnihall/proto/omnihall/catalog/v1/catalog";
import type { CatalogDeps } from "../deps.js";
import { badField, channelInvalid, provinceCodeUnknown } from "../errors.js";
import { findOfferingByCode } from "../offerings/find-offering.js";
import { isChannel } from "../proto-enums.js";
import { isKnownProvince } from "../provinces.js";
import { evaluateEligibility } from "./evaluate-eligibility.js";

export async function checkEligibility(
  { db }: CatalogDeps,
  request: CheckEligibilityRequest,
): Promise<CheckEligibilityResponse> {
  if (!isChannel(request.channel)) throw channelInvalid("channel");
  const subscriber = request.subscriber ?? {
    subscriberId: "",
    provinceCode: "",
    planCode: "",
    tenureMonths: 0,
    heldOfferingCodes: [],
    formerOfferingCodes: [],
  };
  if (!isKnownProvince(subscriber.provinceCode)) {
    throw provinceCodeUnknown("subscriber.province_code", subscriber.provinceCode);
  }
  if (subscriber.tenureMonths < 0) {
    throw badField("TENURE_NEGATIVE", "subscriber.tenure_months", {
      "zh-CN": "在网时长不能为负数。",
      en: "The tenure cannot be negative.",
    });
  }
  const offering = await findOfferingByCode(db, request.offeringCode, "offering_code");
  const heldRows = offering.eligibility?.exclusiveGroup
    ? await db.offering.findMany({
        where: { code: { in: subscriber.heldOfferingCodes } },
        select: { code: true, eligibility: true },
      })
    : [];
  const heldExclusiveGroups = new Map(
    heldRows.map((row) => [row.code, EligibilityRules.fromJSON(row.eligibility).exclusiveGroup]),
  );
  const violations = evaluateEligibility({
    offering,
    channel: request.channel,
    subscriber,
    settings: request.settings,
    heldExclusiveGroups,
  });
  return { eligible: violations.length === 0, violations, offering };
}
