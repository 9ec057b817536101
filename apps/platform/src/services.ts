import type { EventBus } from "@omnihall/bus";
import { MemoryLiveOffers } from "@omnihall/live-offers";
import {
  billingMigrations,
  createBillingDb,
  loadBillingConfig,
  seedBilling,
  startBillingService,
} from "@omnihall/billing";
import { campaignMigrations, loadCampaignConfig, seedCampaign, startCampaignService } from "@omnihall/campaign";
import { catalogMigrations, loadCatalogConfig, seedCatalog, startCatalogService } from "@omnihall/catalog";
import {
  customerMigrations,
  loadCustomerConfig,
  seedAgents,
  seedCustomer,
  seedOperators,
  startCustomerService,
} from "@omnihall/customer";
import { createOrdersDb, loadOrdersConfig, ordersMigrations, seedOrders, startOrdersService } from "@omnihall/orders";
import { loadNotifyConfig, notifyMigrations, seedNotify, startNotifyService } from "@omnihall/notify";
import type { Logger, RunningService } from "@omnihall/service-kit";
import { loadUsageConfig, startUsageService, usageMigrations } from "@omnihall/usage";

type Env = Record<string, string | undefined>;

/**
 * Without NATS (the in-process bus), the campaign service's live offer set and the halls' are this one object:
 * everything runs in this process, so a launch reaches every hall the moment it is written.
 */
export const inProcessLiveOffers = new MemoryLiveOffers();

/** What the launcher needs to know of a domain service to migrate, seed and run it. */
export interface PlatformService {
  /** Also its database name suffix (omnihall_<name>), its port variable (<NAME>_PORT) and the variable that
   * tells later services where it is (<NAME>_ADDRESS). */
  name: string;
  defaultPort: number;
  migrations: { schemaPath: string; migrationsDir: string };
  /** Loads demo data once; false when the database already had it. */
  seed?(databaseUrl: string): Promise<boolean>;
  start(env: Env, bus: EventBus, logger: Logger): Promise<RunningService>;
}

/** Every domain service, in start order: a service starts after those it calls. */
export const PLATFORM_SERVICES: readonly PlatformService[] = [
  {
    // First: it consumes only new events, so it must be listening before anything else publishes.
    name: "notify",
    defaultPort: 50056,
    migrations: notifyMigrations,
    seed: async (databaseUrl) => (await seedNotify(databaseUrl)).consents > 0,
    start: (env, bus, logger) => startNotifyService({ config: loadNotifyConfig(env), bus, logger }),
  },
  {
    name: "customer",
    defaultPort: 50051,
    migrations: customerMigrations,
    // Subscribers, the mini hall's field agents with their registered handhelds, the ops console's staff.
    seed: async (databaseUrl) =>
      (await seedCustomer(databaseUrl)).subscribers +
        (await seedAgents(databaseUrl)).agents +
        (await seedOperators(databaseUrl)).operators >
      0,
    start: (env, bus, logger) => startCustomerService({ config: loadCustomerConfig(env), bus, logger }),
  },
  {
    name: "billing",
    defaultPort: 50052,
    migrations: billingMigrations,
    async seed(databaseUrl) {
      const db = createBillingDb(databaseUrl, 2);
      try {
        return await seedBilling(db);
      } finally {
        await db.$disconnect();
      }
    },
    start: (env, bus, logger) => startBillingService({ config: loadBillingConfig(env), bus, logger }),
  },
  {
    name: "catalog",
    defaultPort: 50053,
    migrations: catalogMigrations,
    seed: async (databaseUrl) => (await seedCatalog(databaseUrl)).offerings > 0,
    start: (env, bus, logger) => startCatalogService({ config: loadCatalogConfig(env), bus, logger }),
  },
  {
    // Before orders: it opens allowance buckets from the product events orders' seed publishes.
    name: "usage",
    defaultPort: 50055,
    migrations: usageMigrations,
    start: (env, bus, logger) => startUsageService({ config: loadUsageConfig(env), bus, logger }),
  },
  {
    name: "orders",
    defaultPort: 50054,
    migrations: ordersMigrations,
    async seed(databaseUrl) {
      const db = createOrdersDb(databaseUrl, 2);
      try {
        return (await seedOrders(db)) > 0;
      } finally {
        await db.$disconnect();
      }
    },
    start: (env, bus, logger) => startOrdersService({ config: loadOrdersConfig(env), bus, logger }),
  },
  {
    // Last: its SMS waves hand their batches to notify (NOTIFY_ADDRESS, started before it). Its live offer set is the
    // NATS KV bucket when NATS_URL is set (the halls watch it), else held in this process.
    name: "campaign",
    defaultPort: 50057,
    migrations: campaignMigrations,
    // The demo subscribers' audience facts, so a demo campaign's audience estimate has something to count.
    seed: async (databaseUrl) => (await seedCampaign(databaseUrl)).facts > 0,
    start: (env, bus, logger) =>
      startCampaignService({
        config: loadCampaignConfig(env),
        bus,
        logger,
        ...(env.NATS_URL ? {} : { liveOffers: inProcessLiveOffers }),
      }),
  },
];
