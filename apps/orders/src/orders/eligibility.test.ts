import { describe, expect, it } from "vitest";
import type { CheckEligibilityResponse } from "@omnihall/proto/omnihall/catalog/v1/catalog";
import { eligibilityError, tenureMonths } from "./eligibility.js";

const answer = (...reasons: string[]): CheckEligibilityResponse => ({
  eligible: reasons.length === 0,
  violations: reasons.map((reason) => ({
    reason,
    message: { zhCn: `不可：${reason}`, en: `No: ${reason}` },
    settingKey: reason.startsWith("SETTING") ? "forward_to" : "",
  })),
  offering: undefined,
});

describe("eligibility answers", () => {
  it("passes eligible subscribers", () => {
    expect(eligibilityError(answer())).toBeUndefined();
  });

  it("sorts the catalog's reasons into the order service's", () => {
    expect(eligibilityError(answer("PROVINCE_NOT_SERVED"))?.reason).toBe("OFFERING_NOT_AVAILABLE");
    expect(eligibilityError(answer("TENURE_TOO_SHORT", "CHANNEL_NOT_SOLD"))?.reason).toBe("OFFERING_NOT_AVAILABLE");
    expect(eligibilityError(answer("SETTING_MISSING"))?.reason).toBe("CHARACTERISTIC_INVALID");
    const ineligible = eligibilityError(answer("PLAN_NOT_COMPATIBLE", "ALREADY_HELD"))!;
    expect(ineligible.reason).toBe("SUBSCRIBER_NOT_ELIGIBLE");
    expect(ineligible.messages).toEqual({ "zh-CN": "不可：PLAN_NOT_COMPATIBLE", en: "No: PLAN_NOT_COMPATIBLE" });
    expect(ineligible.metadata.violations).toBe("PLAN_NOT_COMPATIBLE,ALREADY_HELD");
  });

  it("counts whole months of tenure", () => {
    const now = new Date("2026-11-22T00:00:00Z");
    expect(tenureMonths(new Date("2026-10-22T00:00:00Z"), now)).toBe(1);
    expect(tenureMonths(new Date("2026-10-23T00:00:00Z"), now)).toBe(0);
    expect(tenureMonths(new Date("2021-11-01T00:00:00Z"), now)).toBe(60);
    expect(tenureMonths(undefined, now)).toBe(0);
  });
});
