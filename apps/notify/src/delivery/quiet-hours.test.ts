import { describe, expect, it } from "vitest";
import { isKnownTimeZone, parseQuietHours, quietHoursEnd, quietHoursRelease } from "./quiet-hours.js";

const nightly = parseQuietHours("21:00-08:00");

describe("quiet hours", () => {
  it("parses a window and refuses nonsense", () => {
    expect(nightly).toEqual({ startMinute: 21 * 60, endMinute: 8 * 60 });
    expect(() => parseQuietHours("9pm-8am")).toThrow(/21:00-08:00/);
    expect(() => parseQuietHours("24:00-08:00")).toThrow();
  });

  it("lets marketing out during the day in the subscriber's zone", () => {
    // 12:00 in Shanghai.
    expect(quietHoursEnd(new Date("2026-11-22T04:00:00Z"), "Asia/Shanghai", nightly)).toBeNull();
    // 20:59 in Shanghai, the last minute before the quiet.
    expect(quietHoursEnd(new Date("2026-11-22T12:59:00Z"), "Asia/Shanghai", nightly)).toBeNull();
    // 08:00 sharp: quiet is over.
    expect(quietHoursEnd(new Date("2026-11-22T00:00:00Z"), "Asia/Shanghai", nightly)).toBeNull();
  });

  it("defers an evening message to the next morning at 08:00 local time", () => {
    // 21:00 in Shanghai on the 22nd → 08:00 on the 23rd = 00:00Z.
    expect(quietHoursEnd(new Date("2026-11-22T13:00:00Z"), "Asia/Shanghai", nightly)).toEqual(
      new Date("2026-11-23T00:00:00Z"),
    );
    // 23:30 on the last day of the year rolls over into the next year.
    expect(quietHoursEnd(new Date("2026-12-31T15:30:00Z"), "Asia/Shanghai", nightly)).toEqual(
      new Date("2027-01-01T00:00:00Z"),
    );
  });

  it("defers an early-morning message to 08:00 the same day", () => {
    // 03:00 in Shanghai on the 22nd.
    expect(quietHoursEnd(new Date("2026-11-21T19:00:00Z"), "Asia/Shanghai", nightly)).toEqual(
      new Date("2026-11-22T00:00:00Z"),
    );
  });

  it("uses each subscriber's own zone", () => {
    // 14:30Z is 22:30 in Shanghai (quiet) but 20:30 in Urumqi (UTC+6, still allowed).
    const at = new Date("2026-11-22T14:30:00Z");
    expect(quietHoursEnd(at, "Asia/Shanghai", nightly)).not.toBeNull();
    expect(quietHoursEnd(at, "Asia/Urumqi", nightly)).toBeNull();
  });

  it("finds 08:00 across a daylight-saving change", () => {
    // Europe/London goes to summer time at 01:00Z on 29 March 2026; 08:00 BST that morning is 07:00Z.
    expect(quietHoursEnd(new Date("2026-03-28T23:00:00Z"), "Europe/London", nightly)).toEqual(
      new Date("2026-03-29T07:00:00Z"),
    );
  });

  it("handles a window inside one day, and an empty window", () => {
    const lunch = parseQuietHours("12:00-13:30");
    expect(quietHoursEnd(new Date("2026-11-22T04:10:00Z"), "Asia/Shanghai", lunch)).toEqual(
      new Date("2026-11-22T05:30:00Z"),
    );
    expect(quietHoursEnd(new Date("2026-11-22T06:00:00Z"), "Asia/Shanghai", lunch)).toBeNull();
    expect(quietHoursEnd(new Date("2026-11-22T14:00:00Z"), "Asia/Shanghai", parseQuietHours("00:00-00:00"))).toBeNull();
  });

  it("knows real time zones", () => {
    expect(isKnownTimeZone("Asia/Urumqi")).toBe(true);
    expect(isKnownTimeZone("Mars/Olympus")).toBe(false);
  });

  it("spreads a night's deferred messages over the hours after the window, each key at its own fixed moment", () => {
    const night = new Date("2026-12-02T15:30:00Z"); // 23:30 in Shanghai
    const end = quietHoursEnd(night, "Asia/Shanghai", nightly)!; // 08:00 next morning
    const threeHours = 3 * 3_600_000;
    const moments = Array.from({ length: 1_000 }, (_, i) =>
      quietHoursRelease(night, "Asia/Shanghai", nightly, threeHours, `campaign:cmp_1:sub_${i}`)!.getTime(),
    );
    for (const at of moments) {
      expect(at).toBeGreaterThanOrEqual(end.getTime());
      expect(at).toBeLessThan(end.getTime() + threeHours);
    }
    // Roughly even: each hour after 08:00 gets about a third.
    const perHour = [0, 1, 2].map(
      (hour) => moments.filter((at) => Math.floor((at - end.getTime()) / 3_600_000) === hour).length,
    );
    for (const count of perHour) expect(count).toBeGreaterThan(250);
    expect(quietHoursRelease(night, "Asia/Shanghai", nightly, threeHours, "campaign:cmp_1:sub_7")).toEqual(
      new Date(moments[7]!),
    );
    // Outside the window: now; no spread asked: the window's end.
    expect(quietHoursRelease(new Date("2026-12-02T04:00:00Z"), "Asia/Shanghai", nightly, threeHours, "k")).toBeNull();
    expect(quietHoursRelease(night, "Asia/Shanghai", nightly, 0, "k")).toEqual(end);
  });
});
