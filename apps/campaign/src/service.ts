import { OutboxRelay, RetentionSweeper, days, type EventBus } from "@omnihall/bus";
import { createServiceClient } from "@omnihall/channel-client";
import { NotifyServiceClient } from "@omnihall/proto/omnihall/notify/v1/notify";
import { MemoryLiveOffers, NatsLiveOffers, type LiveOffers } from "@omnihall/live-offers";
import { CampaignServiceService } from "@omnihall/proto/omnihall/campaign/v1/campaign";
import {
  createLogger,
  startService,
  type Logger,
  type RunningService,
  type ServiceHandlers,
} from "@omnihall/service-kit";
import { estimateAudience } from "./audience/estimate-audience.js";
import { importAudienceFacts } from "./audience/import-facts.js";
import { consumeSpendFacts } from "./audience/spend-consumer.js";
import { createCampaign, updateCampaign } from "./campaigns/create-campaign.js";
import { getCampaign, listAuditEntries, listCampaigns } from "./campaigns/read-campaigns.js";
import type { CampaignConfig } from "./config.js";
import { createCampaignDb } from "./db.js";
import type { CampaignDeps } from "./deps.js";
import {
  approveCampaign,
  endCampaign,
  pauseCampaign,
  rejectCampaign,
  resumeCampaign,
  submitCampaign,
} from "./lifecycle/change-state.js";
import { startScheduler } from "./lifecycle/scheduler.js";
import { listOffers } from "./live/list-offers.js";
import { LiveOfferSync } from "./live/live-offer-sync.js";
import { getCampaignFunnel } from "./funnel/get-funnel.js";
import { consumeFunnelOptOuts } from "./funnel/opt-out-consumer.js";
import { consumeFunnelOrders } from "./funnel/order-consumer.js";
import { recordInteractions } from "./funnel/record-interactions.js";
import { matchReplyKeyword } from "./funnel/match-reply-keyword.js";
import { campaignPolicy } from "./policy.js";
import { consumeAudienceFacts } from "./audience/fact-consumer.js";
import { getWaveProgress } from "./wave/get-wave-progress.js";
import { WaveRunner, type WaveNotify } from "./wave/wave-runner.js";
import { startOrderCaps } from "./caps/order-caps.js";

export interface StartCampaignServiceOptions {
  config: CampaignConfig;
  bus: EventBus;
  logger?: Logger;
  /**
   * The live offer set to write to (and answer ListOffers from). Default: the NATS KV bucket when NATS_URL is
   * set, else one in this process.
   */
  liveOffers?: LiveOffers;
  /** Where SMS waves go (default: a client of NOTIFY_ADDRESS). */
  notify?: WaveNotify;
}

export type RunningCampaignService = RunningService;

export function campaignHandlers(deps: CampaignDeps): ServiceHandlers<typeof CampaignServiceService> {
  return {
    createCampaign: (request, ctx) => createCampaign(deps, request, ctx),
    updateCampaign: (request, ctx) => updateCampaign(deps, request, ctx),
    getCampaign: (request, ctx) => getCampaign(deps, request, ctx),
    listCampaigns: (request, ctx) => listCampaigns(deps, request, ctx),
    submitCampaign: (request, ctx) => submitCampaign(deps, request, ctx),
    approveCampaign: (request, ctx) => approveCampaign(deps, request, ctx),
    rejectCampaign: (request, ctx) => rejectCampaign(deps, request, ctx),
    pauseCampaign: (request, ctx) => pauseCampaign(deps, request, ctx),
    resumeCampaign: (request, ctx) => resumeCampaign(deps, request, ctx),
    endCampaign: (request, ctx) => endCampaign(deps, request, ctx),
    listAuditEntries: (request, ctx) => listAuditEntries(deps, request, ctx),
    listOffers: (request, ctx) => listOffers(deps, request, ctx),
    estimateAudience: (request, ctx) => estimateAudience(deps, request, ctx),
    importAudienceFacts: (requests) => importAudienceFacts(deps.db, requests),
    getWaveProgress: (request, ctx) => getWaveProgress(deps, request, ctx),
    recordInteractions: (request, ctx) => recordInteractions(deps, request, ctx),
    getCampaignFunnel: (request, ctx) => getCampaignFunnel(deps, request, ctx),
    matchReplyKeyword: (request, ctx) => matchReplyKeyword(deps, request, ctx),
  };
}

/**
 * Starts the campaign service on its migrated database: the gRPC CampaignService, the outbox relay of its events,
 * the scheduler (launches and ends campaigns on time, keeps the live offer set right) and the consumer that keeps
 * its audience facts.
 */
export async function startCampaignService(options: StartCampaignServiceOptions): Promise<RunningCampaignService> {
  const { config, bus } = options;
  const logger = options.logger ?? createLogger("campaign", { level: config.LOG_LEVEL });
  const db = createCampaignDb(config.DATABASE_URL, config.DATABASE_POOL_SIZE);
  const stops: Array<() => Promise<unknown> | unknown> = [() => db.$disconnect()];
  const stopAll = async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  };
  try {
    const board =
      options.liveOffers ??
      (config.NATS_URL
        ? await NatsLiveOffers.open({
            servers: config.NATS_URL,
            bucket: config.LIVE_OFFERS_BUCKET,
            replicas: config.LIVE_OFFERS_REPLICAS,
            onWatchError: (error) => logger.error({ err: error }, "live offer watch failed"),
          })
        : new MemoryLiveOffers());
    if (!options.liveOffers) stops.push(() => board.close());
    const relay = new OutboxRelay({ databaseUrl: config.DATABASE_URL, bus, logger });
    await relay.start();
    stops.push(() => relay.stop());
    // The request-id ledger past any retry, processed events past any redelivery (RETENTION_<TABLE>_DAYS).
    const retention = new RetentionSweeper({
      databaseUrl: config.DATABASE_URL,
      logger,
      tables: [
        { table: "request_log", column: "create_time", maxAgeMs: days(config.RETENTION_REQUEST_LOG_DAYS) },
        { table: "processed_message", column: "processed_at", maxAgeMs: days(config.RETENTION_PROCESSED_MESSAGE_DAYS) },
      ],
    });
    retention.start();
    stops.push(() => retention.stop());
    const spend = await consumeSpendFacts(bus, db, logger, `${config.EVENT_CONSUMER}--audience-spend`);
    stops.push(() => spend.stop());
    const facts = await consumeAudienceFacts(bus, db, logger, { durable: `${config.EVENT_CONSUMER}--audience-facts` });
    stops.push(() => facts.stop());
    let notify = options.notify;
    if (!notify) {
      const client = createServiceClient(NotifyServiceClient, {
        address: config.NOTIFY_ADDRESS,
        caller: "campaigns",
        credential: config.OMNIHALL_CALLER_KEY,
        logger,
      });
      stops.push(() => client.close());
      notify = client;
    }
    const wave = new WaveRunner(db, notify, {
      batchSize: config.CAMPAIGN_WAVE_BATCH_SIZE,
      pollIntervalMs: config.CAMPAIGN_WAVE_INTERVAL_MS,
      frequencyCap: config.CAMPAIGN_FREQUENCY_CAP,
      frequencyWindowDays: config.CAMPAIGN_FREQUENCY_WINDOW_DAYS,
      logger,
    });
    wave.start();
    stops.push(() => wave.stop());
    const funnelOrders = await consumeFunnelOrders(bus, db, logger, `${config.EVENT_CONSUMER}--funnel-orders`);
    stops.push(() => funnelOrders.stop());
    const funnelOptOuts = await consumeFunnelOptOuts(bus, db, logger, `${config.EVENT_CONSUMER}--funnel-opt-outs`);
    stops.push(() => funnelOptOuts.stop());
    const live = new LiveOfferSync(db, board, logger);
    const scheduler = startScheduler(db, live, { pollIntervalMs: config.CAMPAIGN_SCHEDULER_INTERVAL_MS, logger });
    stops.push(() => scheduler.stop());
    const caps = startOrderCaps(db, live, { pollIntervalMs: config.CAMPAIGN_SCHEDULER_INTERVAL_MS, logger });
    stops.push(() => caps.stop());
    const deps: CampaignDeps = { db, board, live, wakeScheduler: () => scheduler.wake(), notify };
    return await startService({
      name: "campaign",
      domain: "campaign.omnihall",
      host: config.HOST,
      port: config.PORT,
      services: [{ definition: CampaignServiceService, handlers: campaignHandlers(deps), policy: campaignPolicy }],
      callers: config.OMNIHALL_CALLER_KEYS,
      telemetry: config,
      logger,
      onShutdown: stopAll,
    });
  } catch (error) {
    await stopAll();
    throw error;
  }
}
