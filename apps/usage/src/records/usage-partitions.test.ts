import { describe, expect, it } from "vitest";
import { monthPartitionNamed, monthPartitionOf, monthsToHold } from "./usage-partitions.js";

const DAY = 24 * 3600_000;

describe("usage_record's month partitions", () => {
  it("are UTC months named usage_record_pYYYYMM, the name read back to the same month", () => {
    expect(monthPartitionOf(new Date("2026-12-31T23:59:59.999Z"))).toEqual({
      name: "usage_record_p202612",
      start: new Date("2026-12-01T00:00:00Z"),
      end: new Date("2027-01-01T00:00:00Z"),
    });
    // Shanghai's 1 January is still December in UTC.
    expect(monthPartitionOf(new Date("2027-01-01T07:00:00+08:00")).name).toBe("usage_record_p202612");
    expect(monthPartitionNamed("usage_record_p202612")).toEqual(monthPartitionOf(new Date("2026-12-15T00:00:00Z")));
    expect(monthPartitionNamed("usage_record_default")).toBeUndefined();
    expect(monthPartitionNamed("usage_record_p202613")).toBeUndefined();
    expect(monthPartitionNamed("usage_record_p2026121")).toBeUndefined();
  });

  it("are held from the month of the oldest record still accepted to the months ahead, across a year's end", () => {
    const months = monthsToHold(new Date("2026-12-03T00:00:00Z"), {
      maxRecordAgeMs: 92 * DAY,
      monthsAhead: 2,
      retentionMs: 180 * DAY,
    });
    expect(months.map((m) => m.name)).toEqual([
      "usage_record_p202609",
      "usage_record_p202610",
      "usage_record_p202611",
      "usage_record_p202612",
      "usage_record_p202701",
      "usage_record_p202702",
    ]);
  });
});
