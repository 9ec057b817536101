import { describe, expect, it } from "vitest";
import { ConfigError } from "@omnihall/config";
import { loadUsageConfig } from "./config.js";

describe("loadUsageConfig", () => {
  it("runs on one machine with no settings", () => {
    const config = loadUsageConfig({});
    expect(config).toMatchObject({
      port: 50055,
      databaseUrl: "postgresql://postgres@127.0.0.1:5432/omnihall_usage",
      defaultTimeZone: "Asia/Shanghai",
      summaryDays: [1, 16],
      summaryHour: 10,
      roamingTripGapMs: 30 * 24 * 3600_000,
      maxClockSkewMs: 300_000,
    });
  });

  it("reads the summary days and refuses bad settings all at once", () => {
    expect(loadUsageConfig({ USAGE_SUMMARY_DAYS: "5, 20" }).summaryDays).toEqual([5, 20]);
    let error: unknown;
    try {
      loadUsageConfig({
        USAGE_SUMMARY_DAYS: "1,31",
        USAGE_DEFAULT_TIME_ZONE: "Mars/Olympus",
        USAGE_INGEST_PARTITIONS: "0",
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems.map((p) => p.variable).sort()).toEqual([
      "USAGE_DEFAULT_TIME_ZONE",
      "USAGE_INGEST_PARTITIONS",
      "USAGE_SUMMARY_DAYS",
    ]);
  });
});
