import { OutboxRelay, RetentionSweeper, type EventBus } from "@omnihall/bus";
import { createServiceClient, createSubscriberWhereabouts } from "@omnihall/channel-client";
import { CustomerServiceClient } from "@omnihall/proto/omnihall/customer/v1/customer";
import { UsageServiceService } from "@omnihall/proto/omnihall/usage/v1/usage";
import {
  createLogger,
  startService,
  subscriberRequestInScope,
  type Logger,
  type RunningService,
} from "@omnihall/service-kit";
import { getUsageSummary } from "./buckets/get-usage-summary.js";
import type { UsageConfig } from "./config.js";
import { UsageDb } from "./database.js";
import { consumeProductEvents } from "./products/product-consumer.js";
import { SUBSCRIBER_ID } from "./records/check-record.js";
import { IngestPipeline } from "./records/ingest-pipeline.js";
import { ingestUsage } from "./records/ingest-usage.js";
import { getDailyUsage } from "./records/get-daily-usage.js";
import { listUsageRecords } from "./records/list-usage-records.js";
import { streamUsage } from "./records/stream-usage.js";
import { DEFAULT_PARTITION, keepUsagePartitions } from "./records/usage-partitions.js";
import { scheduleSummaries } from "./summaries/summary-scheduler.js";
import { usagePolicy } from "./policy.js";

export interface RunningUsageService extends RunningService {
  /**
   * Stops serving, then the consumers, the scheduler, the partition keeper, retention, the outbox relay and the
   * database pool.
   */
  stop(): Promise<void>;
}

/**
 * Starts the usage service on a migrated database: the gRPC UsageService, the consumer that turns orders'
 * product events into allowances, the summary scheduler, the keeper of usage_record's monthly partitions,
 * retention, and the outbox relay that publishes usage events.
 */
export async function startUsageService(options: {
  config: UsageConfig;
  bus: EventBus;
  logger?: Logger;
}): Promise<RunningUsageService> {
  const { config, bus } = options;
  const logger = options.logger ?? createLogger("usage", { level: config.logLevel });
  const db = new UsageDb(config.databaseUrl, { poolSize: config.dbPoolSize });
  const relay = new OutboxRelay({ databaseUrl: config.databaseUrl, bus, logger });
  await relay.start();
  // usage_record's months: partitions made ahead, and whole months dropped past RETENTION_USAGE_RECORD_DAYS.
  const partitions = keepUsagePartitions(
    db,
    {
      maxRecordAgeMs: config.maxRecordAgeMs,
      monthsAhead: config.partitionMonthsAhead,
      retentionMs: config.retention.usageRecordMs,
    },
    logger,
  );
  // The ingest ledger past any retry, processed events past any redelivery (RETENTION_<TABLE>_DAYS).
  const retention = new RetentionSweeper({
    databaseUrl: config.databaseUrl,
    logger,
    tables: [
      { table: "ingest_request", column: "created_at", maxAgeMs: config.retention.ingestRequestMs },
      { table: "processed_message", column: "processed_at", maxAgeMs: config.retention.processedMessageMs },
      // Usage records of a month with no partition of its own (normally none) go row by row. Never the parent
      // usage_record: the sweeper picks rows by ctid, which is unique only within one partition.
      { table: DEFAULT_PARTITION, column: "usage_time", maxAgeMs: config.retention.usageRecordMs },
    ],
  });
  retention.start();
  const products = await consumeProductEvents(bus, db, { logger, defaultTimeZone: config.defaultTimeZone });
  const summaries = scheduleSummaries(
    db,
    { days: config.summaryDays, hour: config.summaryHour },
    { intervalMs: config.summaryCheckMs, logger },
  );
  const ingest = {
    maxClockSkewMs: config.maxClockSkewMs,
    maxRecordAgeMs: config.maxRecordAgeMs,
    roamingTripGapMs: config.roamingTripGapMs,
  };
  const pipeline = new IngestPipeline(
    db,
    { ...ingest, batchSize: config.ingestBatchSize, partitions: config.ingestPartitions },
    logger,
  );
  // Where a subscriber lives (asked of the customer service): what an agent's or operator's scope is checked on.
  const customer = createServiceClient(CustomerServiceClient, {
    address: config.customerAddress,
    caller: "usage",
    credential: config.callerKey,
    logger,
  });
  const whereabouts = createSubscriberWhereabouts(customer);
  const inScope = <R extends { subscriberId: string }>(
    request: R,
    ctx: Parameters<typeof subscriberRequestInScope>[0],
  ) => subscriberRequestInScope(ctx, request, whereabouts, (id) => SUBSCRIBER_ID.test(id));
  const summary = getUsageSummary(db);
  const records = listUsageRecords(db);
  const daily = getDailyUsage(db);
  const server = await startService({
    name: "usage",
    domain: "usage.omnihall",
    host: config.host,
    port: config.port,
    callers: config.callers,
    telemetry: config.telemetry,
    logger,
    shutdownTimeoutMs: config.shutdownTimeoutMs,
    services: [
      {
        definition: UsageServiceService,
        policy: usagePolicy,
        handlers: {
          ingestUsage: ingestUsage(db, ingest),
          streamUsage: streamUsage(pipeline, { maxUncommitted: 2 * config.ingestBatchSize * config.ingestPartitions }),
          getUsageSummary: async (request, ctx) => summary(await inScope(request, ctx)),
          listUsageRecords: async (request, ctx) => records(await inScope(request, ctx)),
          getDailyUsage: async (request, ctx) => daily(await inScope(request, ctx)),
        },
      },
    ],
    onShutdown: async () => {
      await pipeline.stop();
      await products.stop();
      await summaries.stop();
      await partitions.stop();
      await retention.stop();
      await relay.stop();
      customer.close();
      await db.close();
    },
  });
  return server;
}
