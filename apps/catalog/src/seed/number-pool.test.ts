import { DEMO_PROVINCES, demoSubscribers } from "@omnihall/demo-data";
import { describe, expect, it } from "vitest";
import { demoNumberPool, selectionFeeFen } from "./number-pool.js";

describe("selectionFeeFen", () => {
  it("charges for memorable endings and nothing for ordinary numbers", () => {
    expect(selectionFeeFen("13412348888")).toBe(200_000n);
    expect(selectionFeeFen("13412341111")).toBe(50_000n);
    expect(selectionFeeFen("13412345678")).toBe(50_000n);
    expect(selectionFeeFen("13412341688")).toBe(30_000n);
    expect(selectionFeeFen("13412347888")).toBe(10_000n);
    expect(selectionFeeFen("13412347391")).toBe(0n);
  });
});

describe("demoNumberPool", () => {
  it("is deterministic, unique, valid, and shares no number with a demo subscriber", () => {
    const pool = demoNumberPool();
    expect(demoNumberPool()).toEqual(pool);
    expect(new Set(pool.map((number) => number.msisdn)).size).toBe(pool.length);
    const subscribers = new Set(demoSubscribers().map((subscriber) => subscriber.msisdn));
    for (const number of pool) {
      expect(number.msisdn).toMatch(/^1[3-9]\d{9}$/);
      expect(subscribers.has(number.msisdn)).toBe(false);
    }
  });

  it("gives every demo province ordinary numbers and one ending 8888", () => {
    const pool = demoNumberPool();
    for (const province of Object.keys(DEMO_PROVINCES)) {
      const numbers = pool.filter((number) => number.provinceCode === province);
      expect(numbers.length).toBeGreaterThan(150);
      expect(numbers.some((number) => number.msisdn.endsWith("8888"))).toBe(true);
    }
  });
});
