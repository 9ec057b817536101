import { describe, expect, it } from "vitest";
import type { OfferingTerms } from "../orders/offering-terms.js";
import { productEnd, startOfNextMonth, unsubscribeEnd } from "./periods.js";

const terms = (patch: Partial<OfferingTerms>): OfferingTerms => ({
  code: "X",
  kind: "DATA_PACK",
  nameZh: "包",
  nameEn: "Pack",
  chargeFen: "1000",
  priceFen: "1000",
  validity: { kind: "OPEN_ENDED", days: 0 },
  unsubscribeAtPeriodEnd: false,
  trialDays: 0,
  needsInstallation: false,
  needsNumber: false,
  allowances: [],
  ...patch,
});

describe("periods", () => {
  it("ends a month at local midnight of the 1st", () => {
    // 31 Jan 20:00 UTC is already 1 Feb 04:00 in Shanghai: the month that ends is February.
    expect(startOfNextMonth(new Date("2026-01-31T20:00:00Z"), "Asia/Shanghai").toISOString()).toBe(
      "2026-02-28T16:00:00.000Z",
    );
    expect(startOfNextMonth(new Date("2026-12-15T00:00:00Z"), "Asia/Urumqi").toISOString()).toBe(
      "2026-12-31T18:00:00.000Z",
    );
    // Across a daylight-saving change the boundary's own offset applies.
    expect(startOfNextMonth(new Date("2026-03-15T12:00:00Z"), "Europe/Berlin").toISOString()).toBe(
      "2026-03-31T22:00:00.000Z",
    );
  });

  it("computes product ends from validity and trial", () => {
    const start = new Date("2026-05-10T02:00:00Z");
    expect(productEnd(terms({}), start, "Asia/Shanghai")).toBeUndefined();
    expect(productEnd(terms({ validity: { kind: "DAYS", days: 30 } }), start, "Asia/Shanghai")?.toISOString()).toBe(
      "2026-06-09T02:00:00.000Z",
    );
    expect(
      productEnd(terms({ validity: { kind: "CALENDAR_MONTH", days: 0 } }), start, "Asia/Shanghai")?.toISOString(),
    ).toBe("2026-05-31T16:00:00.000Z");
    expect(productEnd(terms({ trialDays: 7 }), start, "Asia/Shanghai")?.toISOString()).toBe("2026-05-17T02:00:00.000Z");
  });

  it("unsubscribes at once or at the period end, whichever the offering says", () => {
    const now = new Date("2026-05-10T02:00:00Z");
    expect(unsubscribeEnd(terms({}), { endAt: null }, now, "Asia/Shanghai")).toBe(now);
    const atPeriodEnd = terms({ unsubscribeAtPeriodEnd: true });
    expect(unsubscribeEnd(atPeriodEnd, { endAt: null }, now, "Asia/Shanghai").toISOString()).toBe(
      "2026-05-31T16:00:00.000Z",
    );
    const soon = new Date("2026-05-20T00:00:00Z");
    expect(unsubscribeEnd(atPeriodEnd, { endAt: soon }, now, "Asia/Shanghai")).toBe(soon);
  });
});
