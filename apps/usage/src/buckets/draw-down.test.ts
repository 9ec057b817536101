import { describe, expect, it } from "vitest";
import { crossedThresholds, drawDown, usedPercent } from "./draw-down.js";

describe("drawDown", () => {
  it("fills buckets in order and leaves later ones untouched", () => {
    const buckets = [
      { quota: 100n, used: 90n },
      { quota: 1000n, used: 0n },
    ];
    expect(drawDown(buckets, 50n)).toBe(0n);
    expect(buckets.map((b) => b.used)).toEqual([100n, 40n]);
  });

  it("puts what is left onto the last bucket and reports it as overage", () => {
    const buckets = [
      { quota: 100n, used: 100n },
      { quota: 200n, used: 150n },
    ];
    expect(drawDown(buckets, 80n)).toBe(30n);
    expect(buckets.map((b) => b.used)).toEqual([100n, 230n]);
  });

  it("counts everything as overage without buckets", () => {
    expect(drawDown([], 42n)).toBe(42n);
  });

  it("takes nothing for a zero quantity", () => {
    const buckets = [{ quota: 10n, used: 3n }];
    expect(drawDown(buckets, 0n)).toBe(0n);
    expect(buckets[0]!.used).toBe(3n);
  });
});

describe("crossedThresholds", () => {
  it("sees 80% and 100% exactly at the boundary", () => {
    expect(crossedThresholds(100n, 79n, 80n)).toEqual([80]);
    expect(crossedThresholds(100n, 80n, 99n)).toEqual([]);
    expect(crossedThresholds(100n, 99n, 100n)).toEqual([100]);
    expect(crossedThresholds(100n, 100n, 150n)).toEqual([]);
  });

  it("sees every threshold a big jump passes, beyond 100% in steps of 100%", () => {
    expect(crossedThresholds(100n, 0n, 350n)).toEqual([80, 100, 200, 300]);
    expect(crossedThresholds(100n, 200n, 401n)).toEqual([300, 400]);
  });

  it("gives none without quota or without growth", () => {
    expect(crossedThresholds(0n, 0n, 50n)).toEqual([]);
    expect(crossedThresholds(100n, 90n, 90n)).toEqual([]);
  });

  it("rounds used percent down", () => {
    expect(usedPercent(3n, 2n)).toBe(66);
    expect(usedPercent(0n, 5n)).toBe(0);
  });
});
