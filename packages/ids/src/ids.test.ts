import { describe, expect, it } from "vitest";
import { hasIdShape, newId } from "./index.js";

describe("newId", () => {
  it("is the prefix and a 26-character ULID, increasing within one millisecond", () => {
    const ids = Array.from({ length: 1000 }, () => newId("pay", 1_700_000_000_000));
    for (const id of ids) expect(id).toMatch(/^pay_[0-9a-hjkmnp-tv-z]{26}$/);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(1000);
  });

  it("keeps increasing when the clock steps back", () => {
    const now = Date.now() + 60_000;
    const ids = [newId("evt", now), newId("evt", now), newId("evt", now - 5_000), newId("evt", now + 1)];
    expect([...ids].sort()).toEqual(ids);
  });

  it("sorts by time across milliseconds", () => {
    const earlier = newId("x", 2_000_000_000_000);
    const later = newId("x", 2_000_000_000_001);
    expect(later > earlier).toBe(true);
    expect(later.slice(2, 12)).not.toBe(earlier.slice(2, 12));
  });
});

describe("hasIdShape", () => {
  it.each([
    ["pay_01jabc", "pay", true],
    ["sub_demo000001", "sub", true],
    ["pay_", "pay", false],
    ["sub_01j", "pay", false],
    ["pay_01j;drop", "pay", false],
    [`pay_${"a".repeat(90)}`, "pay", false],
  ])("%s as %s → %s", (id, prefix, ok) => expect(hasIdShape(id, prefix)).toBe(ok));
});
