import { OutboxRelay, RetentionSweeper, days, type EventBus } from "@omnihall/bus";
import { batchedCalls, createServiceClient, createSubscriberWhereabouts } from "@omnihall/channel-client";
import { createPrismaClient } from "@omnihall/db";
import { CatalogServiceClient } from "@omnihall/proto/omnihall/catalog/v1/catalog";
import { CustomerServiceClient, CustomerServiceService } from "@omnihall/proto/omnihall/customer/v1/customer";
import { NotifyServiceService } from "@omnihall/proto/omnihall/notify/v1/notify";
import {
  batchOf,
  createLogger,
  startService,
  type Handler,
  type Logger,
  type RunningService,
  type ServiceHandlers,
} from "@omnihall/service-kit";
import type { NotifyConfig } from "./config.js";
import { getConsent } from "./consent/get-consent.js";
import { optOut } from "./consent/opt-out.js";
import { recordConsent } from "./consent/record-consent.js";
import { PrismaClient } from "./db.js";
import { deliveryReportRecorder } from "./delivery/delivery-reports.js";
import { Dispatcher } from "./delivery/dispatcher.js";
import { QueueSignalListener } from "./delivery/queue-signal.js";
import { SharedSendRate, sendRateFor } from "./delivery/send-rate.js";
import { startNoticeConsumer } from "./events/notice-consumer.js";
import { getMessage } from "./messages/get-message.js";
import { getCampaignDeliveryStats, withdrawCampaignMessages } from "./messages/campaign-messages.js";
import { listMessages } from "./messages/list-messages.js";
import { assertMessageInScope, inScope, scopedOptOut, type SubscriberWhereabouts } from "./messages/notify-scope.js";
import { sendMarketingBatch } from "./messages/send-marketing-batch.js";
import { sendMessage } from "./messages/send-message.js";
import { RecipientDirectory } from "./recipients/recipient-directory.js";
import { notifyPolicy } from "./policy.js";
import type { NotifyDeps } from "./service-deps.js";
import { openSmsChannel } from "./sms-channel.js";

/** ErrorInfo.domain of every error NotifyService sends. */
export const NOTIFY_ERROR_DOMAIN = "notify.omnihall";

export interface StartNotifyServiceOptions {
  config: NotifyConfig;
  /** Where the events it turns into messages arrive. */
  bus: EventBus;
  logger?: Logger;
}

export interface RunningNotifyService extends RunningService {
  /** Where the webhook SMS gateway posts delivery reports (SMS_PROVIDER=webhook only). */
  deliveryReportUrl: string | undefined;
  stop(): Promise<void>;
}

/**
 * The RPC handlers, each first holding the subscriber it names to the acting party (`whereabouts` places a
 * subscriber for an agent's or operator's scope).
 */
export function notifyHandlers(
  deps: NotifyDeps,
  whereabouts: SubscriberWhereabouts,
): ServiceHandlers<typeof NotifyServiceService> {
  const send = sendMessage(deps);
  const get = getMessage(deps);
  const list = listMessages(deps);
  const record = recordConsent(deps);
  const optOutOf = optOut(deps);
  const consentOf = getConsent(deps);
  const sendBatch = sendMarketingBatch(deps);
  const withdraw = withdrawCampaignMessages(deps);
  const deliveryStats = getCampaignDeliveryStats(deps);
  const sendInScope: Handler<typeof NotifyServiceService.sendMessage> = async (request, ctx) =>
    send(await inScope(ctx, request, whereabouts), ctx);
  return {
    sendMessage: sendInScope,
    batchSendMessages: batchOf(sendInScope),
    getMessage: async (request, ctx) => {
      const answer = await get(request);
      await assertMessageInScope(ctx, answer.message?.subscriberId ?? "", whereabouts);
      return answer;
    },
    listMessages: async (request, ctx) => list(await inScope(ctx, request, whereabouts)),
    recordConsent: async (request, ctx) => record(await inScope(ctx, request, whereabouts), ctx),
    optOut: async (request, ctx) => optOutOf(await scopedOptOut(ctx, request, deps.recipients, whereabouts), ctx),
    getConsent: async (request, ctx) => consentOf(await inScope(ctx, request, whereabouts)),
    // The campaign side only (policy): a wave's recipients are its audience, not one acting party's.
    sendMarketingBatch: (request, ctx) => sendBatch(request, ctx),
    withdrawCampaignMessages: (request) => withdraw(request),
    getCampaignDeliveryStats: (request) => deliveryStats(request),
  };
}

/**
 * Starts the notify service on its own database (migrated beforehand: see notifyMigrations): the SMS provider,
 * the dispatcher that sends queued messages, the consumer that turns events into messages, and the gRPC server.
 * stop() drains calls, stops taking events, lets sends in progress finish and be recorded, then disconnects.
 */
export async function startNotifyService(options: StartNotifyServiceOptions): Promise<RunningNotifyService> {
  const { config } = options;
  const logger = options.logger ?? createLogger("notify", { level: config.LOG_LEVEL });
  const db = createPrismaClient(PrismaClient, config.DATABASE_URL, { poolSize: config.DATABASE_POOL_SIZE });
  const clientOptions = { caller: "notify", credential: config.OMNIHALL_CALLER_KEY, logger };
  const customer = createServiceClient(CustomerServiceClient, { address: config.CUSTOMER_ADDRESS, ...clientOptions });
  const catalog = createServiceClient(CatalogServiceClient, { address: config.CATALOG_ADDRESS, ...clientOptions });
  const cleanups: Array<() => Promise<void> | void> = [
    () => db.$disconnect(),
    () => customer.close(),
    () => catalog.close(),
  ];
  // Undone in reverse order of set-up, also when start-up fails half-way.
  const closeAll = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) {
      try {
        await cleanup();
      } catch (error) {
        logger.error({ err: error }, "shutdown step failed");
      }
    }
  };

  try {
    const sms = await openSmsChannel(config, logger);
    cleanups.push(() => sms.close());
    const unsubscribeReports = sms.provider.onDeliveryReport(deliveryReportRecorder(db));
    cleanups.push(unsubscribeReports);

    // Consent changes leave through the outbox (notify.consent.changed).
    const relay = new OutboxRelay({ databaseUrl: config.DATABASE_URL, bus: options.bus, logger });
    await relay.start();
    cleanups.push(() => relay.stop());

    // Finished messages (their parts go with them) after the subscriber-enquiry window, receipts that never met
    // their part, processed events past any redelivery (RETENTION_<TABLE>_DAYS).
    const retention = new RetentionSweeper({
      databaseUrl: config.DATABASE_URL,
      logger,
      tables: [
        {
          table: "message",
          column: "created_at",
          maxAgeMs: days(config.RETENTION_MESSAGE_DAYS),
          where: "finished_at IS NOT NULL",
        },
        { table: "delivery_report", column: "received_at", maxAgeMs: days(config.RETENTION_DELIVERY_REPORT_DAYS) },
        { table: "processed_message", column: "processed_at", maxAgeMs: days(config.RETENTION_PROCESSED_MESSAGE_DAYS) },
      ],
    });
    retention.start();
    cleanups.push(() => retention.stop());

    const quietSpreadMs = config.MARKETING_QUIET_SPREAD_MINUTES * 60_000;
    const dispatcher = new Dispatcher({
      db,
      provider: sms.provider,
      quietHours: config.MARKETING_QUIET_HOURS,
      quietSpreadMs,
      sendRate: new SharedSendRate(db, sendRateFor(`${config.SMS_PROVIDER}:smsc`, config.SMPP_RATE)),
      retryPolicy: {
        maxAttempts: config.SEND_MAX_ATTEMPTS,
        baseDelayMs: config.SEND_RETRY_BASE_MS,
        maxDelayMs: config.SEND_RETRY_MAX_MS,
      },
      pollIntervalMs: config.DISPATCH_POLL_MS,
      batchSize: config.DISPATCH_BATCH_SIZE,
      sealedTextKey: config.NOTIFY_PRIVATE_KEY,
      logger,
    });
    dispatcher.start();
    cleanups.push(() => dispatcher.stop());
    const signals = await QueueSignalListener.start(config.DATABASE_URL, () => dispatcher.wake(), logger);
    cleanups.push(() => signals.stop());

    const deps: NotifyDeps = {
      db,
      // Lookups of recipients not cached (a campaign wave's, thousands at once) go to customer in batches.
      recipients: new RecipientDirectory(
        {
          getSubscriber: batchedCalls(customer.batchGetSubscribers, CustomerServiceService.getSubscriber),
        },
        { ttlMs: config.RECIPIENT_CACHE_TTL_MS },
      ),
      policy: {
        senders: { service: config.SERVICE_SENDER, marketing: config.MARKETING_SENDER },
        quietHours: config.MARKETING_QUIET_HOURS,
        quietSpreadMs,
      },
    };
    const consumer = await startNoticeConsumer({
      deps,
      bus: options.bus,
      catalog,
      consumer: config.EVENT_CONSUMER,
      ackWaitMs: config.EVENT_ACK_WAIT_MS,
      privateKey: config.NOTIFY_PRIVATE_KEY,
      logger,
    });
    cleanups.push(() => consumer.stop());

    const running = await startService({
      name: "notify",
      domain: NOTIFY_ERROR_DOMAIN,
      host: config.HOST,
      port: config.PORT,
      services: [
        {
          definition: NotifyServiceService,
          handlers: notifyHandlers(deps, createSubscriberWhereabouts(customer)),
          policy: notifyPolicy,
        },
      ],
      callers: config.OMNIHALL_CALLER_KEYS,
      // METRICS_HOST / METRICS_PORT / OTEL_EXPORTER_OTLP_ENDPOINT of this service's environment.
      telemetry: config,
      logger,
      onShutdown: closeAll,
    });
    return { ...running, deliveryReportUrl: sms.deliveryReportUrl };
  } catch (error) {
    await closeAll();
    throw error;
  }
}
