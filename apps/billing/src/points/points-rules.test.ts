import { describe, expect, it } from "vitest";
import { pointsEarnedFor, pointsExpiryOf } from "./points-rules.js";

describe("pointsEarnedFor", () => {
  it.each([
    [0n, 0n],
    [99n, 0n],
    [100n, 1n],
    [5_999n, 59n],
    [5_000_000n, 50_000n],
    [-500n, 0n],
  ])("%s fen earns %s points", (fen, points) => expect(pointsEarnedFor(fen)).toBe(points));
});

describe("pointsExpiryOf", () => {
  it("is the end of the year after the one earned in, China time", () => {
    expect(pointsExpiryOf(new Date("2026-03-15T10:00:00+08:00")).toISOString()).toBe("2027-12-31T16:00:00.000Z");
    expect(pointsExpiryOf(new Date("2026-01-01T00:00:00+08:00")).toISOString()).toBe("2027-12-31T16:00:00.000Z");
  });

  it("counts New Year's Eve after 16:00 UTC as the next year, as Beijing does", () => {
    // 2026-12-31T17:00Z is already 2027-01-01 01:00 in Beijing.
    expect(pointsExpiryOf(new Date("2026-12-31T17:00:00Z")).toISOString()).toBe("2028-12-31T16:00:00.000Z");
    expect(pointsExpiryOf(new Date("2026-12-31T15:59:59Z")).toISOString()).toBe("2027-12-31T16:00:00.000Z");
  });
});
