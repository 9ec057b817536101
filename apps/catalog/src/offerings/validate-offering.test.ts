import {
  EligibilityRules,
  OfferingKind,
  PriceRecurrence,
  SettingType,
  ValidityKind,
  type Offering,
  type SettingDefinition,
} from "@omnihall/proto/omnihall/catalog/v1/catalog";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { describe, expect, it } from "vitest";
import { DEMO_OFFERINGS } from "../seed/demo-offerings.js";
import { validateOffering } from "./validate-offering.js";

const asOffering = (code: string): Offering => ({
  ...DEMO_OFFERINGS.find((offering) => offering.code === code)!,
  offeringId: "",
  createTime: undefined,
  updateTime: undefined,
});

function reasonFor(offering: Offering): string | undefined {
  try {
    validateOffering(offering);
    return undefined;
  } catch (error) {
    return (error as { reason: string }).reason;
  }
}

describe("validateOffering", () => {
  it("accepts every demo offering", () => {
    for (const offering of DEMO_OFFERINGS) expect(reasonFor(asOffering(offering.code)), offering.code).toBeUndefined();
  });

  it("names the first problem with a stable reason and the field", () => {
    const pack = asOffering("DATA_10GB_MONTH");
    const cases: Array<[Partial<Offering>, string]> = [
      [{ code: "data-10gb" }, "OFFERING_CODE_MALFORMED"],
      [{ kind: OfferingKind.OFFERING_KIND_UNSPECIFIED }, "KIND_REQUIRED"],
      [{ kind: 42 as OfferingKind }, "KIND_REQUIRED"],
      [{ name: { zhCn: "流量包", en: " " } }, "NAME_REQUIRED"],
      [{ priceFen: -1n }, "PRICE_NEGATIVE"],
      [{ priceRecurrence: PriceRecurrence.PRICE_RECURRENCE_UNSPECIFIED }, "PRICE_RECURRENCE_REQUIRED"],
      [{ validity: { kind: ValidityKind.VALIDITY_KIND_DAYS, days: 0 } }, "VALIDITY_INVALID"],
      [{ validity: { kind: ValidityKind.VALIDITY_KIND_OPEN_ENDED, days: 5 } }, "VALIDITY_INVALID"],
      [{ allowances: [{ ...pack.allowances[0]!, quantity: 0n }] }, "ALLOWANCE_INVALID"],
      [{ availability: { provinceCodes: ["XX"], channels: [] } }, "PROVINCE_CODE_UNKNOWN"],
      [{ availability: { provinceCodes: [], channels: [Channel.CHANNEL_UNSPECIFIED] } }, "CHANNEL_INVALID"],
      [{ eligibility: EligibilityRules.create({ minTenureMonths: -1 }) }, "ELIGIBILITY_RULES_INVALID"],
      [{ trial: { days: 7 } }, "TRIAL_INVALID"],
      [{ roaming: { countryCode: "JP" } }, "DETAILS_MISMATCH"],
    ];
    for (const [change, reason] of cases) expect(reasonFor({ ...pack, ...change }), reason).toBe(reason);
  });

  it("requires each kind's own details, well formed", () => {
    const roaming = asOffering("ROAM_JP_1D");
    expect(reasonFor({ ...roaming, roaming: undefined })).toBe("DETAILS_MISMATCH");
    expect(reasonFor({ ...roaming, roaming: { countryCode: "jp" } })).toBe("COUNTRY_CODE_MALFORMED");
    expect(reasonFor({ ...roaming, roaming: { countryCode: "KR" } })).toBe("ALLOWANCE_INVALID");
    const broadband = asOffering("BB_300M_NEW");
    expect(reasonFor({ ...broadband, broadband: { ...broadband.broadband!, downstreamMbps: 0 } })).toBe(
      "DETAILS_INVALID",
    );
    const forwarding = asOffering("VAS_CALL_FORWARDING");
    const [condition, target] = forwarding.feature!.settings;
    const withSettings = (settings: SettingDefinition[]) => ({
      ...forwarding,
      feature: { ...forwarding.feature!, settings },
    });
    expect(reasonFor(withSettings([condition!, { ...target!, key: "condition" }]))).toBe("SETTING_DEFINITION_INVALID");
    expect(reasonFor(withSettings([{ ...condition!, allowedValues: [] }]))).toBe("SETTING_DEFINITION_INVALID");
    expect(reasonFor(withSettings([{ ...target!, type: SettingType.SETTING_TYPE_UNSPECIFIED }]))).toBe(
      "SETTING_DEFINITION_INVALID",
    );
  });
});
