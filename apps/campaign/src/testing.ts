import { InProcessBus, JetStreamBus, type EventBus } from "@omnihall/bus";
import { createServiceClient, type ServiceClient } from "@omnihall/channel-client";
import { developmentCallerKey } from "@omnihall/config";
import { migratedTestDatabase } from "@omnihall/db/testing";
import {
  CampaignServiceClient,
  type CampaignServiceService,
  type CampaignSpec,
  type Creative,
} from "@omnihall/proto/omnihall/campaign/v1/campaign";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { createLogger, NATIONAL_SCOPE, type OperatorParty, type OperatorRole } from "@omnihall/service-kit";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { uniqueSuffix } from "@omnihall/testkit";
import { onTestFinished } from "vitest";
import { createCampaignDb, type CampaignDb } from "./db.js";
import { loadCampaignConfig, startCampaignService } from "./index.js";

export interface TestCampaignService {
  address: string;
  databaseUrl: string;
  /** The service's own database, to look at what it wrote (or to give it audience facts). */
  db: CampaignDb;
  bus: EventBus;
  /**
   * Stops the service and starts it again on the same database (a new port: make new clients), running `between`
   * while it is down.
   */
  restart(between?: () => Promise<unknown>): Promise<void>;
  /**
   * Starts another instance of the service on the same database, bus and configuration, as a second pod runs:
   * its own scheduler, caps check, wave runner and consumers. Stopped before the first when the test ends.
   */
  startInstance(): Promise<{ address: string }>;
  /** A client calling as `caller` (default the ops console). */
  client(caller?: string): ServiceClient<typeof CampaignServiceService>;
}

/**
 * A real campaign service for one test: its own freshly migrated database, a gRPC server on a free port, and —
 * with `natsUrl` — JetStream and the live offer set in a KV bucket of the test's own (`bucket`); without it, an
 * in-process bus and set. Stopped and dropped when the test ends.
 */
export async function startTestCampaignService(
  options: {
    natsUrl?: string;
    bucket?: string;
    schedulerIntervalMs?: number;
    /** The notify service SMS waves go to (default: nothing listens there; hand-overs fail and are retried). */
    notifyAddress?: string;
    /** Audience members per wave batch. */
    waveBatchSize?: number;
  } = {},
): Promise<TestCampaignService> {
  const database = await migratedTestDatabase(new URL("..", import.meta.url), { keep: true });
  const logger = createLogger("campaign-test", { level: "silent" });
  const bus: EventBus = options.natsUrl
    ? await JetStreamBus.connect({ url: options.natsUrl, name: "campaign-test", logger })
    : new InProcessBus({ logger });
  // On the shared NATS server, durable consumers of this test's own (fixed names would share, and take, the events
  // of every other test and of a running `npm start`); deleted when the test ends.
  const eventConsumer = options.natsUrl ? `campaign-t${uniqueSuffix()}` : undefined;
  const config = loadCampaignConfig({
    DATABASE_URL: database.url,
    ...(eventConsumer ? { EVENT_CONSUMER: eventConsumer } : {}),
    PORT: "0",
    METRICS_PORT: "0",
    LOG_LEVEL: "silent",
    DATABASE_POOL_SIZE: "8",
    ...(options.natsUrl ? { NATS_URL: options.natsUrl } : {}),
    ...(options.bucket ? { LIVE_OFFERS_BUCKET: options.bucket } : {}),
    CAMPAIGN_SCHEDULER_INTERVAL_MS: String(options.schedulerIntervalMs ?? 200),
    CAMPAIGN_WAVE_INTERVAL_MS: "100",
    // Never a notify that happens to run on this machine (npm start): a test's wave texts only its own.
    NOTIFY_ADDRESS: options.notifyAddress ?? "127.0.0.1:1",
    ...(options.waveBatchSize ? { CAMPAIGN_WAVE_BATCH_SIZE: String(options.waveBatchSize) } : {}),
  });
  let service = await startCampaignService({ config, bus, logger });
  const others: Array<{ stop(): Promise<void> }> = [];
  const db = createCampaignDb(database.url, 2);
  const clients: Array<{ close(): void }> = [];
  onTestFinished(async () => {
    for (const client of clients) client.close();
    for (const other of others) await other.stop();
    await service.stop();
    await db.$disconnect();
    await bus.close();
    if (options.natsUrl && eventConsumer) await deleteDurables(options.natsUrl, eventConsumer);
    await database.drop();
  });
  return {
    get address() {
      return service.address;
    },
    async restart(between) {
      await service.stop();
      await between?.();
      service = await startCampaignService({ config, bus, logger });
    },
    async startInstance() {
      const other = await startCampaignService({ config, bus, logger });
      others.push(other);
      return { address: other.address };
    },
    databaseUrl: database.url,
    db,
    bus,
    client(caller = "ops-console") {
      const client = createServiceClient(CampaignServiceClient, {
        address: service.address,
        caller,
        credential: developmentCallerKey(caller),
        defaultDeadlineMs: 20_000,
        retry: { maxAttempts: 1 },
      });
      clients.push(client);
      return client;
    },
  };
}

/** Deletes the durable consumers named `<prefix>--…` on every stream. */
async function deleteDurables(natsUrl: string, prefix: string): Promise<void> {
  const nc = await connect({ servers: natsUrl });
  try {
    const jsm = await jetstreamManager(nc);
    for await (const stream of jsm.streams.list()) {
      for await (const consumer of jsm.consumers.list(stream.config.name)) {
        if (consumer.name.startsWith(`${prefix}--`)) {
          await jsm.consumers.delete(stream.config.name, consumer.name).catch(() => false);
        }
      }
    }
  } finally {
    await nc.close();
  }
}

/** Operations staff for tests: HQ or one province's, with the given roles. */
export function operator(
  operatorId: string,
  roles: OperatorRole[],
  provinceScope: string = NATIONAL_SCOPE,
): OperatorParty {
  return { kind: "operator", operatorId, roles, provinceScope };
}

const text = (zhCn: string, en: string) => ({ zhCn, en });

/**
 * A complete campaign definition (all four halls, a 20 % data pack discount, a month from now), scoped to
 * `provinceCode` or national; `overrides` replace top-level fields.
 */
export function demoCampaignSpec(
  provinceCode: string | undefined,
  overrides: Partial<CampaignSpec> = {},
): CampaignSpec {
  const now = Date.now();
  return {
    name: "双十二流量包八折",
    description: "10GB 流量包限时八折",
    offer: { offeringCode: "PACK_DATA_10G", priceFen: 0n, hasPrice: false, discountBps: 2000 },
    audience: {
      provinceCodes: [],
      cities: [],
      planCodes: [],
      minTenureMonths: 0,
      monthlySpend: undefined,
      minLastMonthDataKb: 0n,
      maxLastMonthDataKb: 0n,
      marketingConsentRequired: true,
    },
    channels: [
      {
        channel: Channel.CHANNEL_WEB_HALL,
        creative: {
          ...emptyCreative(),
          webBannerTitle: text("流量包八折", "Data pack 20% off"),
          webBannerText: text("10GB 只要 24 元", "10 GB for ¥24"),
        },
      },
      {
        channel: Channel.CHANNEL_SMS_HALL,
        creative: {
          ...emptyCreative(),
          smsText: text("回复 LL8 办理 10GB 流量包八折", "Reply LL8 for 10 GB at 20% off"),
          smsReplyKeyword: "LL8",
        },
      },
      {
        channel: Channel.CHANNEL_KIOSK,
        creative: {
          ...emptyCreative(),
          kioskAttractTitle: text("流量包八折", "Data pack 20% off"),
          kioskAttractText: text("点击办理", "Tap to buy"),
        },
      },
      {
        channel: Channel.CHANNEL_MINI_HALL,
        creative: { ...emptyCreative(), agentPitch: text("本月流量包八折", "Data packs 20% off this month") },
      },
    ],
    schedule: {
      startTime: new Date(now - 60_000),
      endTime: new Date(now + 30 * 24 * 3600_000),
      timeZone: "Asia/Shanghai",
    },
    caps: { perSubscriberFrequency: 2, totalQuantity: 10_000n, budgetFen: 0n },
    holdoutPercent: 10,
    scope: provinceCode ? { national: false, provinceCode } : { national: true, provinceCode: "" },
    ...overrides,
  };
}

function emptyCreative(): Creative {
  return {
    webBannerTitle: undefined,
    webBannerText: undefined,
    smsText: undefined,
    smsReplyKeyword: "",
    kioskAttractTitle: undefined,
    kioskAttractText: undefined,
    agentPitch: undefined,
  };
}
