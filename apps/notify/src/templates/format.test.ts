import { describe, expect, it } from "vitest";
import { formatDateTime, formatFen, formatKb, formatSmsCount, formatVoiceSeconds } from "./format.js";

describe("formatting for messages", () => {
  it("writes fen as yuan with two decimals", () => {
    expect(formatFen(1250n, "zh-CN")).toBe("12.50元");
    expect(formatFen(5n, "en")).toBe("CNY 0.05");
    expect(formatFen(-100n, "en")).toBe("CNY -1.00");
    expect(formatFen(123456789012345n, "zh-CN")).toBe("1234567890123.45元");
  });

  it("writes KB in the largest unit that keeps a whole number, with up to two decimals", () => {
    expect(formatKb(500n)).toBe("500KB");
    expect(formatKb(1536n)).toBe("1.5MB");
    expect(formatKb(300n * 1024n)).toBe("300MB");
    expect(formatKb(5n * 1024n * 1024n)).toBe("5GB");
    expect(formatKb(4n * 1024n * 1024n + 1024n * 1023n)).toBe("4.99GB");
    expect(formatKb(3n * 1024n ** 3n)).toBe("3TB");
  });

  it("writes voice in started minutes and SMS counts", () => {
    expect(formatVoiceSeconds(61n, "zh-CN")).toBe("2分钟");
    expect(formatVoiceSeconds(6000n, "en")).toBe("100 min");
    expect(formatSmsCount(50n, "zh-CN")).toBe("50条");
  });

  it("writes a moment in the subscriber's own time zone", () => {
    const at = new Date("2026-11-22T00:30:00Z");
    expect(formatDateTime(at, "Asia/Shanghai", "zh-CN")).toBe("2026年11月22日 08:30");
    expect(formatDateTime(at, "Asia/Urumqi", "en")).toBe("22 Nov 2026, 06:30");
  });
});
