import { describe, expect, it } from "vitest";
import { AllowanceUnit } from "@omnihall/proto/omnihall/catalog/v1/allowance";
import type { UsageRecord } from "@omnihall/proto/omnihall/usage/v1/usage";
import { checkRecord } from "./check-record.js";

const now = new Date("2026-11-20T10:00:00Z");
const good: UsageRecord = {
  source: "ggsn-gd-01",
  recordId: "cdr:000123",
  subscriberId: "sub_demo000001",
  unit: AllowanceUnit.ALLOWANCE_UNIT_DATA_KB,
  quantity: 2048n,
  usageTime: new Date("2026-11-20T09:59:00Z"),
  provinceCode: "GD",
  roamingCountryCode: "",
  ingestTime: undefined,
};
const reasonFor = (change: Partial<UsageRecord>) => {
  const result = checkRecord({ ...good, ...change }, now, {
    maxClockSkewMs: 5 * 60_000,
    maxRecordAgeMs: 92 * 86_400_000,
  });
  return "reason" in result ? result.reason : "OK";
};

describe("checkRecord", () => {
  it("accepts a well-formed record", () => {
    expect(reasonFor({})).toBe("OK");
    expect(reasonFor({ quantity: 0n, provinceCode: "", roamingCountryCode: "JP" })).toBe("OK");
  });

  it.each<[Partial<UsageRecord>, string]>([
    [{ source: "" }, "SOURCE_MALFORMED"],
    [{ source: "bad source" }, "SOURCE_MALFORMED"],
    [{ recordId: "" }, "RECORD_ID_MALFORMED"],
    [{ recordId: "x".repeat(65) }, "RECORD_ID_MALFORMED"],
    [{ recordId: "id'; drop table" }, "RECORD_ID_MALFORMED"],
    [{ subscriberId: "13800138000" }, "SUBSCRIBER_ID_MALFORMED"],
    [{ unit: AllowanceUnit.ALLOWANCE_UNIT_UNSPECIFIED }, "UNIT_UNSPECIFIED"],
    [{ unit: 99 as AllowanceUnit }, "UNIT_UNSPECIFIED"],
    [{ quantity: -1n }, "QUANTITY_NEGATIVE"],
    [{ quantity: 200n * 1024n * 1024n }, "QUANTITY_TOO_LARGE"],
    [{ unit: AllowanceUnit.ALLOWANCE_UNIT_SMS_COUNT, quantity: 5000n }, "QUANTITY_TOO_LARGE"],
    [{ usageTime: undefined }, "USAGE_TIME_MISSING"],
    [{ usageTime: new Date("2026-11-20T10:06:00Z") }, "USAGE_TIME_IN_FUTURE"],
    [{ usageTime: new Date("2026-08-19T09:00:00Z") }, "USAGE_TIME_TOO_OLD"],
    [{ usageTime: new Date(Date.UTC(-2000, 0, 1)) }, "USAGE_TIME_TOO_OLD"],
    [{ provinceCode: "guangdong" }, "PROVINCE_MALFORMED"],
    [{ roamingCountryCode: "jpn" }, "ROAMING_COUNTRY_MALFORMED"],
  ])("rejects %o with %s", (change, reason) => {
    expect(reasonFor(change)).toBe(reason);
  });

  it("tolerates the allowed clock skew", () => {
    expect(reasonFor({ usageTime: new Date("2026-11-20T10:04:59Z") })).toBe("OK");
  });
});
