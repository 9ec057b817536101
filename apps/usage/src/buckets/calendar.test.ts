import { describe, expect, it } from "vitest";
import { isTimeZone, localTime, monthOf, previousMonth } from "./calendar.js";

describe("monthOf", () => {
  it("starts the month at local midnight on the 1st in Shanghai (UTC+8)", () => {
    const m = monthOf(new Date("2026-11-30T16:30:00Z"), "Asia/Shanghai"); // 00:30 on Dec 1st locally
    expect(m.month).toBe("2026-12");
    expect(m.start.toISOString()).toBe("2026-11-30T16:00:00.000Z");
    expect(m.end.toISOString()).toBe("2026-12-31T16:00:00.000Z");
  });

  it("puts the same instant in different months in different zones", () => {
    const instant = new Date("2026-11-30T17:00:00Z"); // 01:00 Dec 1st in Shanghai, 23:00 Nov 30th in Urumqi (UTC+6)
    expect(monthOf(instant, "Asia/Shanghai").month).toBe("2026-12");
    expect(monthOf(instant, "Asia/Urumqi").month).toBe("2026-11");
  });

  it("follows daylight saving changes", () => {
    const m = monthOf(new Date("2026-03-15T12:00:00Z"), "Europe/Berlin");
    expect(m.start.toISOString()).toBe("2026-02-28T23:00:00.000Z"); // CET
    expect(m.end.toISOString()).toBe("2026-03-31T22:00:00.000Z"); // CEST
  });

  it("rolls over the year and steps back a month", () => {
    expect(monthOf(new Date("2026-12-31T15:59:59Z"), "Asia/Shanghai").month).toBe("2026-12");
    expect(monthOf(new Date("2026-12-31T16:00:00Z"), "Asia/Shanghai").month).toBe("2027-01");
    expect(previousMonth(new Date("2027-01-10T00:00:00Z"), "Asia/Shanghai").month).toBe("2026-12");
  });
});

describe("localTime", () => {
  it("gives the local date, day and hour", () => {
    expect(localTime(new Date("2026-11-15T17:30:00Z"), "Asia/Shanghai")).toEqual({
      date: "2026-11-16",
      day: 16,
      hour: 1,
    });
  });

  it("knows real zones from made-up ones", () => {
    expect(isTimeZone("Asia/Urumqi")).toBe(true);
    expect(isTimeZone("Mars/Olympus")).toBe(false);
  });
});
