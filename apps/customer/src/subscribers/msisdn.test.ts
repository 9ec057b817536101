import { describe, expect, it } from "vitest";
import { normalizeMsisdn } from "./msisdn.js";

describe("normalizeMsisdn", () => {
  it.each([
    ["13800138000", "13800138000"],
    ["+8613800138000", "13800138000"],
    ["008613800138000", "13800138000"],
    ["8613800138000", "13800138000"],
    ["138 0013 8000", "13800138000"],
    ["138-0013-8000", "13800138000"],
  ])("accepts %s", (input, expected) => expect(normalizeMsisdn(input)).toBe(expected));

  it.each(["", "12800138000", "1380013800", "138001380001", "abc", "+8512800138000", "13800138000x", "0755-1234567"])(
    "rejects %j",
    (input) => expect(normalizeMsisdn(input)).toBeUndefined(),
  );
});
