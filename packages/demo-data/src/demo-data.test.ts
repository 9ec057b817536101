import { describe, expect, it } from "vitest";
import { DEMO_MSISDN, DEMO_PLANS, DEMO_PROVINCES, demoSubscribers } from "./index.js";

describe("demo subscribers", () => {
  it("are the same on every call, with unique ids and numbers", () => {
    const a = demoSubscribers(3000);
    expect(demoSubscribers(3000)).toEqual(a);
    expect(new Set(a.map((s) => s.subscriberId)).size).toBe(3000);
    expect(new Set(a.map((s) => s.msisdn)).size).toBe(3000);
    expect(a[0]!.msisdn).toBe(DEMO_MSISDN);
  });

  it("cover several provinces, every plan and both languages, with valid numbers", () => {
    const all = demoSubscribers(3000);
    expect(new Set(all.map((s) => s.provinceCode)).size).toBe(Object.keys(DEMO_PROVINCES).length);
    expect(new Set(all.map((s) => s.planCode))).toEqual(new Set(DEMO_PLANS.map((p) => p.code)));
    expect(all.some((s) => s.languageCode === "en")).toBe(true);
    for (const s of all) expect(s.msisdn).toMatch(/^1[3-9]\d{9}$/);
  });
});
