import "@omnihall/testkit";
import { InProcessBus } from "@omnihall/bus";
import { loadCatalogConfig, seedCatalog, startCatalogService } from "@omnihall/catalog";
import {
  DEMO_AGENT_PIN,
  DEMO_AGENTS,
  loadCustomerConfig,
  seedAgents,
  seedCustomer,
  startCustomerService,
} from "@omnihall/customer";
import { migratedTestDatabase } from "@omnihall/db/testing";
import { createOrdersDb, loadOrdersConfig, startOrdersService } from "@omnihall/orders";
import { createBillingDb, loadBillingConfig, seedBilling, startBillingService } from "@omnihall/billing";
import { startGatewaySimulator } from "@omnihall/payment-gateway-sim";
import { createServiceClient } from "@omnihall/channel-client";
import { developmentCallerKey } from "@omnihall/config";
import { loadNotifyConfig, startNotifyService } from "@omnihall/notify";
import { NotifyServiceClient } from "@omnihall/proto/omnihall/notify/v1/notify";
import { createLogger } from "@omnihall/service-kit";
import { FakeSmsc } from "@omnihall/sms-link/testing";
import { jsonCaller, uniqueSuffix } from "@omnihall/testkit";
import { onTestFinished } from "vitest";
import { buildMiniHall } from "../app.js";
import { closeMiniHallClients, createMiniHallClients } from "../clients.js";
import { loadMiniHallConfig } from "../config.js";

const notifyClient = (address: string) =>
  createServiceClient(NotifyServiceClient, {
    address,
    caller: "platform",
    credential: developmentCallerKey("platform"),
  });

const appDir = (app: string) => new URL(`../../../${app}/`, import.meta.url);

export const SHENZHEN = DEMO_AGENTS[0];
export const GUANGZHOU = DEMO_AGENTS[1];

/**
 * The mini hall and the services its screens call, all real, for one test: customer (demo subscribers, agents and
 * their handhelds), catalog (demo catalog and number pool) and orders, each on its own migrated database, and the
 * hall on a free port (serving web/dist when `pages` is set). `payments` adds billing with the gateway simulator's
 * acquirer; `notify` adds the notification service with an SMPP SMSC (receipts, confirmation codes as texts).
 * Stopped and dropped when the test ends.
 */
export async function miniHallPlatform(
  options: {
    pages?: string;
    payments?: boolean;
    notify?: boolean;
    /** A campaign service whose live offers (its KV bucket at natsUrl) the hall shows and whose ids orders check. */
    campaign?: { address: string; natsUrl: string; bucket: string };
  } = {},
) {
  const logger = createLogger("mini-hall-test", { level: "silent" });
  const bus = new InProcessBus({ logger });
  const stops: Array<() => Promise<void>> = [];
  const [customerDb, catalogDb, ordersDb, billingDb, notifyDb] = await Promise.all([
    ...["customer", "catalog", "orders"].map((app) => migratedTestDatabase(appDir(app))),
    options.payments ? migratedTestDatabase(appDir("billing")) : undefined,
    options.notify ? migratedTestDatabase(appDir("notify")) : undefined,
  ]);
  // Registered after the databases, so it runs before their drops: services stop while their databases exist.
  onTestFinished(async () => {
    for (const stop of stops.reverse()) await stop();
    await bus.close();
  });
  await seedCustomer(customerDb!.url);
  await seedAgents(customerDb!.url);
  await seedCatalog(catalogDb!.url);

  const pool = { DATABASE_POOL_SIZE: "3", PORT: "0", LOG_LEVEL: "silent" };
  const customer = await startCustomerService({
    config: loadCustomerConfig({ ...pool, DATABASE_URL: customerDb!.url, NODE_ENV: "development" }),
    bus,
    logger,
  });
  stops.push(() => customer.stop());
  const catalog = await startCatalogService({
    config: loadCatalogConfig({ ...pool, DATABASE_URL: catalogDb!.url }),
    bus,
    logger,
  });
  stops.push(() => catalog.stop());
  const orders = await startOrdersService({
    config: loadOrdersConfig({
      ...pool,
      DATABASE_URL: ordersDb!.url,
      CUSTOMER_ADDRESS: customer.address,
      CATALOG_ADDRESS: catalog.address,
      // Openings call no billing; nothing listens here in this slice.
      BILLING_ADDRESS: "127.0.0.1:1",
      ...(options.campaign ? { CAMPAIGN_ADDRESS: options.campaign.address } : {}),
    }),
    bus,
    logger,
  });
  stops.push(() => orders.stop());
  // Billing with the gateway simulator's ISO 8583 acquirer, for the tests that take money (demo accounts of the
  // first subscribers, the first of them in Shenzhen).
  let billingAddress = "127.0.0.1:1";
  let gateways: Awaited<ReturnType<typeof startGatewaySimulator>> | undefined;
  if (billingDb) {
    const seedDb = createBillingDb(billingDb.url, 2);
    await seedBilling(seedDb, { subscribers: 5 });
    await seedDb.$disconnect();
    gateways = await startGatewaySimulator({ port: 0 });
    const simulator = gateways;
    stops.push(() => simulator.stop());
    const billing = await startBillingService({
      config: loadBillingConfig({
        ...pool,
        DATABASE_URL: billingDb.url,
        PAYMENT_NOTIFY_PORT: "0",
        PAYMENT_GATEWAY_URL: simulator.url,
        ACQUIRER_URL: `${simulator.url}/acquirer`,
        CUSTOMER_ADDRESS: customer.address,
      }),
      bus,
      logger,
    });
    stops.push(() => billing.stop());
    billingAddress = billing.address;
  }
  let notify: { smsc: FakeSmsc; client: ReturnType<typeof notifyClient> } | undefined;
  if (notifyDb) {
    const smsc = await FakeSmsc.start({ systemId: "omnihall", password: "smsc-test" });
    stops.push(() => smsc.close());
    const service = await startNotifyService({
      config: loadNotifyConfig({
        ...pool,
        DATABASE_URL: notifyDb.url,
        CUSTOMER_ADDRESS: customer.address,
        CATALOG_ADDRESS: catalog.address,
        SMPP_PORT: String(smsc.port),
        SMPP_SYSTEM_ID: "omnihall",
        SMPP_PASSWORD: "smsc-test",
        EVENT_CONSUMER: `minihall-t${uniqueSuffix()}`,
      }),
      bus,
      logger,
    });
    stops.push(() => service.stop());
    // As the platform's own tools, to read the messages a subscriber was sent.
    const client = notifyClient(service.address);
    stops.push(async () => client.close());
    notify = { smsc, client };
  }
  const ordersDbClient = createOrdersDb(ordersDb!.url, 2);
  stops.push(() => ordersDbClient.$disconnect());

  const config = loadMiniHallConfig({
    CUSTOMER_ADDRESS: customer.address,
    CATALOG_ADDRESS: catalog.address,
    ORDERS_ADDRESS: orders.address,
    BILLING_ADDRESS: billingAddress,
    RATE_LIMIT_PER_MINUTE: "0",
    SESSION_COOKIE_SECURE: "false",
    ...(options.campaign
      ? {
          CAMPAIGN_ADDRESS: options.campaign.address,
          NATS_URL: options.campaign.natsUrl,
          LIVE_OFFERS_BUCKET: options.campaign.bucket,
        }
      : {}),
  });
  const clients = createMiniHallClients(config);
  const app = await buildMiniHall({ config, clients, logger, frontEnd: options.pages ?? false });
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  stops.push(async () => {
    await app.close();
    closeMiniHallClients(clients);
  });

  const call = jsonCaller(url);

  async function logIn(agent: (typeof DEMO_AGENTS)[number] = SHENZHEN): Promise<string> {
    const answer = await call("POST", "/v1/sessions", {
      agentId: agent.id,
      pin: DEMO_AGENT_PIN,
      deviceId: agent.handheldId,
    });
    if (answer.status !== 201) throw new Error(`login failed: ${JSON.stringify(answer.body)}`);
    return answer.body.token as string;
  }

  return { url, call, logIn, ordersDb: ordersDbClient, sessionSecret: config.SESSION_SECRET, gateways, bus, notify };
}
