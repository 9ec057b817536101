import { describe, expect, it } from "vitest";
import { formatDataKb, formatDate, formatDay, formatFen, formatMonth, percentOf } from "./format.js";

describe("formatFen", () => {
  it("prints fen as yuan with two decimals, grouped, without floating point", () => {
    expect(formatFen(0)).toBe("¥0.00");
    expect(formatFen(5)).toBe("¥0.05");
    expect(formatFen(123456)).toBe("¥1,234.56");
    expect(formatFen(-5)).toBe("-¥0.05");
    expect(formatFen(5000, { sign: true })).toBe("+¥50.00");
    // Beyond 2^53: exact, because it is bigint arithmetic.
    expect(formatFen(9007199254740993n)).toBe("¥90,071,992,547,409.93");
  });
});

describe("formatDataKb", () => {
  it("uses 1024-based units with at most one decimal", () => {
    expect(formatDataKb(512)).toBe("512 KB");
    expect(formatDataKb(1024)).toBe("1 MB");
    expect(formatDataKb(1536)).toBe("1.5 MB");
    expect(formatDataKb(10 * 1024 * 1024)).toBe("10 GB");
    expect(formatDataKb(0)).toBe("0 KB");
  });
});

describe("dates", () => {
  it("shows dates in China Standard Time in both languages", () => {
    // 23:30 UTC on 1 Dec is already 2 Dec in Beijing.
    expect(formatDate("2026-12-01T23:30:00Z", "zh-CN")).toBe("2026年12月2日");
    expect(formatDate("2026-12-01T23:30:00Z", "en")).toBe("Dec 2, 2026");
    expect(formatMonth("2026-05", "zh-CN")).toBe("2026年5月");
    expect(formatMonth("2026-05", "en")).toBe("May 2026");
    expect(formatDay("2026-05-03", "zh-CN")).toBe("2026年5月3日");
    expect(formatDay("2026-05-03", "en")).toBe("May 3, 2026");
  });
});

describe("percentOf", () => {
  it("is bounded and never NaN", () => {
    expect(percentOf(5, 0)).toBe(0);
    expect(percentOf(50, 200)).toBe(25);
    expect(percentOf(300, 200)).toBe(100);
  });
});
