import type { CheckEligibilityRequest, CheckEligibilityResponse } from "@omnihall/proto/omnihall/catalog/v1/catalog";
import type { CatalogDeps } from "../deps.js";
import { badField, channelInvalid, provinceCodeUnknown } from "../errors.js";
import { offeringSnapshot, snapshotOfferingByCode } from "../offerings/offering-snapshot.js";
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
  // From the in-memory snapshot: this is the order engine's and every hall's question, asked on every order.
  const { offering } = await snapshotOfferingByCode(db, request.offeringCode, "offering_code");
  const heldExclusiveGroups = new Map<string, string>();
  if (offering.eligibility?.exclusiveGroup) {
    const { byCode } = await offeringSnapshot(db);
    for (const code of subscriber.heldOfferingCodes) {
      const held = byCode.get(code);
      if (held) heldExclusiveGroups.set(code, held.exclusiveGroup);
    }
  }
  const violations = evaluateEligibility({
    offering,
    channel: request.channel,
    subscriber,
    settings: request.settings,
    heldExclusiveGroups,
  });
  return { eligible: violations.length === 0, violations, offering };
}
