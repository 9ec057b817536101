import { z } from "zod";
import { RETENTION_DEFAULT_DAYS } from "@omnihall/bus";
import { callerEnv, databaseUrl, loadConfig, natsUrl, retentionDays, serviceEnv } from "@omnihall/config";
import { isTimeZone } from "./buckets/calendar.js";

const DAY_MS = 24 * 3600_000;
const count = (min: number, max: number, fallback: number) =>
  z.coerce.number().int().min(min).max(max).default(fallback);

const usageEnv = z
  .object({
    ...serviceEnv(50055),
    /** The service's own database. */
    DATABASE_URL: databaseUrl("postgresql://postgres@127.0.0.1:5432/omnihall_usage"),
    NATS_URL: natsUrl(),
    ...callerEnv("usage"),
    /** Where the customer service is: where a subscriber lives, for an agent's or operator's scope. */
    CUSTOMER_ADDRESS: z.string().default("127.0.0.1:50051"),
    /** Zone for subscribers whose product events carry none. */
    USAGE_DEFAULT_TIME_ZONE: z
      .string()
      .default("Asia/Shanghai")
      .refine(isTimeZone, { error: "is not an IANA time zone" }),
    /** How far in the future a record's usage_time may be (network clocks drift). */
    USAGE_MAX_CLOCK_SKEW_SECONDS: count(0, 86_400, 300),
    /** How old a record may be and still count (late records from mediation). */
    USAGE_MAX_RECORD_AGE_DAYS: count(1, 3650, 92),
    /** Days without usage in a roaming country after which usage there is a new trip (a new welcome). */
    USAGE_ROAMING_TRIP_GAP_DAYS: count(1, 365, 30),
    /** Days of the month usage summaries are due, comma-separated. */
    USAGE_SUMMARY_DAYS: z
      .string()
      .default("1,16")
      .transform((text) => text.split(",").map((day) => Number(day.trim())))
      .pipe(z.array(z.number().int().min(1).max(28), { error: "must be days 1–28, comma-separated" }).min(1)),
    /** Local hour from which a day's summaries go out (not at night). */
    USAGE_SUMMARY_HOUR: count(0, 23, 10),
    /** How often the summary scheduler looks for summaries due. */
    USAGE_SUMMARY_CHECK_SECONDS: count(1, 3600, 60),
    /** Most records per ingest transaction when streaming. */
    USAGE_INGEST_BATCH_SIZE: count(1, 10_000, 5000),
    /** Subscriber partitions of streamed ingest, each with one transaction in flight (keep below the pool size). */
    USAGE_INGEST_PARTITIONS: count(1, 32, 4),
    /** How long a stop waits for in-flight calls (an open stream) before cutting them off. */
    USAGE_SHUTDOWN_TIMEOUT_SECONDS: count(0, 600, 10),
    /** Database connections. */
    USAGE_DB_POOL_SIZE: count(1, 100, 10),
    /** Days an ingest request id is remembered (longer than any mediation system retries a batch). */
    RETENTION_INGEST_REQUEST_DAYS: retentionDays(RETENTION_DEFAULT_DAYS.requestIds),
    /** Days a processed-event record is kept (longer than the streams keep an event, so redeliveries are caught). */
    RETENTION_PROCESSED_MESSAGE_DAYS: retentionDays(RETENTION_DEFAULT_DAYS.processedEvents),
    /**
     * Days usage records are kept at least, by usage time: the detail behind ListUsageRecords and GetDailyUsage,
     * and the CDRs an operator must keep for a legal period (billing disputes, lawful requests; commonly about
     * six months, hence 180 by default: set it to the local rule). usage_record is partitioned by month, so a
     * month goes whole once all of it is older (records stay up to a month longer). Longer than
     * USAGE_MAX_RECORD_AGE_DAYS, so a record re-sent late is still recognised as a duplicate rather than counted
     * again.
     */
    RETENTION_USAGE_RECORD_DAYS: retentionDays(180),
    /** Months after the current one whose usage_record partitions are made ahead (src/records/usage-partitions.ts). */
    USAGE_PARTITION_MONTHS_AHEAD: count(1, 24, 2),
  })
  .refine((env) => env.RETENTION_USAGE_RECORD_DAYS > env.USAGE_MAX_RECORD_AGE_DAYS, {
    path: ["RETENTION_USAGE_RECORD_DAYS"],
    error: "must be more than USAGE_MAX_RECORD_AGE_DAYS (a late duplicate would otherwise be counted again)",
  });

export type UsageConfig = ReturnType<typeof toUsageConfig>;

function toUsageConfig(env: z.output<typeof usageEnv>) {
  return {
    nodeEnv: env.NODE_ENV,
    logLevel: env.LOG_LEVEL,
    host: env.HOST,
    port: env.PORT,
    callers: env.OMNIHALL_CALLER_KEYS,
    /** Metrics port and tracing (METRICS_HOST, METRICS_PORT, OTEL_EXPORTER_OTLP_ENDPOINT). */
    telemetry: {
      METRICS_HOST: env.METRICS_HOST,
      METRICS_PORT: env.METRICS_PORT,
      OTEL_EXPORTER_OTLP_ENDPOINT: env.OTEL_EXPORTER_OTLP_ENDPOINT,
    },
    /** The service's own database. */
    databaseUrl: env.DATABASE_URL,
    natsUrl: env.NATS_URL,
    /** Copies of its stream on the NATS cluster. */
    natsReplicas: env.NATS_REPLICAS,
    callerKey: env.OMNIHALL_CALLER_KEY,
    customerAddress: env.CUSTOMER_ADDRESS,
    defaultTimeZone: env.USAGE_DEFAULT_TIME_ZONE,
    maxClockSkewMs: env.USAGE_MAX_CLOCK_SKEW_SECONDS * 1000,
    maxRecordAgeMs: env.USAGE_MAX_RECORD_AGE_DAYS * DAY_MS,
    roamingTripGapMs: env.USAGE_ROAMING_TRIP_GAP_DAYS * DAY_MS,
    summaryDays: env.USAGE_SUMMARY_DAYS,
    summaryHour: env.USAGE_SUMMARY_HOUR,
    summaryCheckMs: env.USAGE_SUMMARY_CHECK_SECONDS * 1000,
    ingestBatchSize: env.USAGE_INGEST_BATCH_SIZE,
    ingestPartitions: env.USAGE_INGEST_PARTITIONS,
    dbPoolSize: env.USAGE_DB_POOL_SIZE,
    shutdownTimeoutMs: env.USAGE_SHUTDOWN_TIMEOUT_SECONDS * 1000,
    partitionMonthsAhead: env.USAGE_PARTITION_MONTHS_AHEAD,
    retention: {
      ingestRequestMs: env.RETENTION_INGEST_REQUEST_DAYS * DAY_MS,
      processedMessageMs: env.RETENTION_PROCESSED_MESSAGE_DAYS * DAY_MS,
      usageRecordMs: env.RETENTION_USAGE_RECORD_DAYS * DAY_MS,
    },
  };
}

/** The usage service's configuration from the environment; every default runs on one machine. */
export function loadUsageConfig(env: Record<string, string | undefined> = process.env): UsageConfig {
  return toUsageConfig(loadConfig(usageEnv, env));
}
