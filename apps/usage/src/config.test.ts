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

  it("keeps usage records 180 days by default and refuses a retention no longer than the records' accepted age", () => {
    const day = 24 * 3600_000;
    expect(loadUsageConfig({}).retention).toEqual({
      ingestRequestMs: 30 * day,
      processedMessageMs: 14 * day,
      usageRecordMs: 180 * day,
    });
    expect(loadUsageConfig({ RETENTION_PROCESSED_MESSAGE_DAYS: "21" }).retention.processedMessageMs).toBe(21 * day);
    const problems = (env: Record<string, string>) => {
      try {
        loadUsageConfig(env);
      } catch (error) {
        return (error as ConfigError).problems.map((p) => p.variable);
      }
      return [];
    };
    // A record re-sent late must still meet its first copy, or it would be counted twice.
    expect(problems({ RETENTION_USAGE_RECORD_DAYS: "92" })).toEqual(["RETENTION_USAGE_RECORD_DAYS"]);
    expect(problems({ RETENTION_INGEST_REQUEST_DAYS: "0" })).toEqual(["RETENTION_INGEST_REQUEST_DAYS"]);
    expect(problems({ RETENTION_INGEST_REQUEST_DAYS: "1.5" })).toEqual(["RETENTION_INGEST_REQUEST_DAYS"]);
    // usage_record's partitions: two months made ahead by default, at least one.
    expect(loadUsageConfig({}).partitionMonthsAhead).toBe(2);
    expect(loadUsageConfig({ USAGE_PARTITION_MONTHS_AHEAD: "6" }).partitionMonthsAhead).toBe(6);
    expect(problems({ USAGE_PARTITION_MONTHS_AHEAD: "0" })).toEqual(["USAGE_PARTITION_MONTHS_AHEAD"]);
  });
});
