import { demoSubscribers } from "@omnihall/demo-data";
import { describe, expect, it } from "vitest";
import { demoBills, monthBefore } from "./demo-bills.js";

describe("demo bills", () => {
  const now = new Date("2026-11-22T10:00:00Z");

  it("cover the six months before this one, newest first, each totalling its lines", () => {
    const bills = demoBills(demoSubscribers(1)[0]!, now);
    expect(bills.map((b) => b.billingMonth)).toEqual([
      "2026-10",
      "2026-09",
      "2026-08",
      "2026-07",
      "2026-06",
      "2026-05",
    ]);
    for (const bill of bills) {
      expect(bill.lines[0]!.kind).toBe("PLAN_FEE");
      expect(bill.totalFen).toBe(bill.lines.reduce((s, l) => s + l.amountFen, 0n));
    }
  });

  it("are stable and vary across subscribers", () => {
    const [a, b] = demoSubscribers(2);
    expect(demoBills(a!, now)).toEqual(demoBills(a!, now));
    expect(demoBills(a!, now).map((x) => x.totalFen)).not.toEqual(demoBills(b!, now).map((x) => x.totalFen));
  });

  it("count months back across a year boundary", () => {
    expect(monthBefore(new Date("2026-02-10T00:00:00Z"), 3)).toBe("2025-11");
  });
});
