import { EligibilityRules, OfferingLifecycle, type Offering } from "@omnihall/proto/omnihall/catalog/v1/catalog";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { describe, expect, it } from "vitest";
import { DEMO_OFFERINGS } from "../seed/demo-offerings.js";
import { evaluateEligibility, type EligibilityQuestion } from "./evaluate-eligibility.js";

function demoOffering(code: string): Offering {
  const found = DEMO_OFFERINGS.find((offering) => offering.code === code);
  if (!found) throw new Error(`no demo offering ${code}`);
  return { ...found, offeringId: "off_test", createTime: undefined, updateTime: undefined };
}

function ask(offering: Offering, changes: Partial<EligibilityQuestion> = {}, facts = {}) {
  return evaluateEligibility({
    offering,
    channel: Channel.CHANNEL_WEB_HALL,
    subscriber: {
      subscriberId: "sub_demo000001",
      provinceCode: "GD",
      planCode: "PLAN_5G_59",
      tenureMonths: 30,
      heldOfferingCodes: ["PLAN_5G_59"],
      formerOfferingCodes: [],
      ...facts,
    },
    settings: {},
    heldExclusiveGroups: new Map(),
    ...changes,
  }).map((violation) => violation.reason);
}

describe("evaluateEligibility", () => {
  it("finds nothing wrong with an ordinary pack for an ordinary subscriber", () => {
    expect(ask(demoOffering("DATA_10GB_MONTH"))).toEqual([]);
  });

  it("refuses offerings that are not on sale", () => {
    const retired = { ...demoOffering("DATA_10GB_MONTH"), lifecycle: OfferingLifecycle.OFFERING_LIFECYCLE_RETIRED };
    expect(ask(retired)).toEqual(["OFFERING_NOT_ON_SALE"]);
  });

  it("refuses provinces and channels the offering is not sold in", () => {
    expect(ask(demoOffering("DATA_GD_LOCAL_15GB"), {}, { provinceCode: "BJ" })).toEqual(["PROVINCE_NOT_SERVED"]);
    expect(
      ask(demoOffering("VAS_CALL_FORWARDING"), {
        channel: Channel.CHANNEL_SMS_HALL,
        settings: { condition: "BUSY", forward_to: "13900139000" },
      }),
    ).toEqual(["CHANNEL_NOT_SOLD"]);
  });

  it("checks plan compatibility and tenure", () => {
    expect(ask(demoOffering("DATA_5G_BOOST_30GB"), {}, { planCode: "PLAN_4G_19" })).toEqual(["PLAN_NOT_COMPATIBLE"]);
    expect(ask(demoOffering("DATA_LOYALTY_50GB"), {}, { tenureMonths: 23 })).toEqual(["TENURE_TOO_SHORT"]);
    expect(ask(demoOffering("DATA_LOYALTY_50GB"), {}, { tenureMonths: 24 })).toEqual([]);
  });

  it("refuses a second copy unless stackable", () => {
    expect(ask(demoOffering("PLAN_5G_59"))).toEqual(["ALREADY_HELD"]);
    expect(ask(demoOffering("DATA_1GB_1D"), {}, { heldOfferingCodes: ["DATA_1GB_1D"] })).toEqual([]);
  });

  it("refuses an offering from an exclusive group the subscriber already holds one of", () => {
    const question = {
      heldExclusiveGroups: new Map([["BB_300M_NEW", "BROADBAND"]]),
    };
    expect(ask(demoOffering("BB_1000M_NEW"), question, { heldOfferingCodes: ["BB_300M_NEW"] })).toEqual([
      "EXCLUSIVE_OFFERING_HELD",
    ]);
  });

  it("requires the line a renewal renews", () => {
    expect(ask(demoOffering("BB_300M_RENEW_12M"))).toEqual(["REQUIRED_OFFERING_MISSING"]);
    expect(ask(demoOffering("BB_300M_RENEW_12M"), {}, { heldOfferingCodes: ["BB_300M_NEW"] })).toEqual([]);
  });

  it("allows one trial per subscriber", () => {
    expect(ask(demoOffering("TRIAL_5G_BOOST_7D"))).toEqual([]);
    expect(ask(demoOffering("TRIAL_5G_BOOST_7D"), {}, { formerOfferingCodes: ["TRIAL_5G_BOOST_7D"] })).toEqual([
      "TRIAL_ALREADY_USED",
    ]);
  });

  it("checks feature settings: required, valid, known", () => {
    const forwarding = demoOffering("VAS_CALL_FORWARDING");
    expect(ask(forwarding, { settings: { condition: "NO_ANSWER", forward_to: "13900139000" } })).toEqual([]);
    expect(ask(forwarding, { settings: { condition: "NO_ANSWER", forward_to: "075512345678" } })).toEqual([]);
    expect(ask(forwarding, { settings: {} })).toEqual(["SETTING_MISSING", "SETTING_MISSING"]);
    expect(ask(forwarding, { settings: { condition: "SOMETIMES", forward_to: "12345", colour: "red" } })).toEqual([
      "SETTING_INVALID",
      "SETTING_INVALID",
      "SETTING_UNKNOWN",
    ]);
  });

  it("reports every reason at once, in a stable order, in both languages", () => {
    const offering = {
      ...demoOffering("DATA_GD_LOCAL_15GB"),
      eligibility: EligibilityRules.create({ compatiblePlanCodes: ["PLAN_5G_129"], minTenureMonths: 12 }),
    };
    const violations = evaluateEligibility({
      offering,
      channel: Channel.CHANNEL_SYSTEM,
      subscriber: {
        subscriberId: "",
        provinceCode: "BJ",
        planCode: "PLAN_4G_19",
        tenureMonths: 1,
        heldOfferingCodes: ["DATA_GD_LOCAL_15GB"],
        formerOfferingCodes: [],
      },
      settings: {},
      heldExclusiveGroups: new Map(),
    });
    expect(violations.map((violation) => violation.reason)).toEqual([
      "PROVINCE_NOT_SERVED",
      "CHANNEL_NOT_SOLD",
      "PLAN_NOT_COMPATIBLE",
      "TENURE_TOO_SHORT",
      "ALREADY_HELD",
    ]);
    for (const violation of violations) {
      expect(violation.message!.zhCn).toMatch(/[\u4e00-\u9fff]/);
      expect(violation.message!.en).toMatch(/[a-z]/);
    }
  });
});
