import { describe, expect, it } from "vitest";
import { numberPatternToLike } from "./number-pattern.js";

describe("numberPatternToLike", () => {
  it("matches the ending when there is no wildcard", () => {
    expect(numberPatternToLike("8888")).toBe("%8888");
    expect(numberPatternToLike("")).toBe("%");
  });

  it("turns each run of * into one SQL wildcard", () => {
    expect(numberPatternToLike("138*")).toBe("138%");
    expect(numberPatternToLike("*520**")).toBe("%520%");
  });

  it("refuses anything but digits and *", () => {
    for (const bad of ["8_88", "%", "13800138000X", "123456789012"]) {
      expect(() => numberPatternToLike(bad)).toThrowError(
        expect.objectContaining({ reason: "NUMBER_PATTERN_INVALID" }),
      );
    }
  });
});
