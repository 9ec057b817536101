import "@omnihall/testkit";
import { createServiceClient } from "@omnihall/channel-client";
import { developmentCallerKey } from "@omnihall/config";
import { InProcessBus } from "@omnihall/bus";
import { createBillingDb, loadBillingConfig, seedBilling, startBillingService } from "@omnihall/billing";
import { loadCatalogConfig, seedCatalog, startCatalogService } from "@omnihall/catalog";
import { loadCustomerConfig, seedCustomer, startCustomerService } from "@omnihall/customer";
import { migratedTestDatabase } from "@omnihall/db/testing";
import { loadNotifyConfig, startNotifyService } from "@omnihall/notify";
import { createOrdersDb, loadOrdersConfig, seedOrders, startOrdersService } from "@omnihall/orders";
import { startGatewaySimulator } from "@omnihall/payment-gateway-sim";
import { createLogger } from "@omnihall/service-kit";
import { captureLogs } from "@omnihall/service-kit/testing";
import { FakeSmsc } from "@omnihall/sms-link/testing";
import { uniqueSuffix } from "@omnihall/testkit";
import { UsageServiceClient, type UsageRecord } from "@omnihall/proto/omnihall/usage/v1/usage";
import { loadUsageConfig, startUsageService } from "@omnihall/usage";
import { onTestFinished } from "vitest";
import { buildWebHall, WEB_UI_ROOT } from "../app.js";
import { closeWebHallClients, createWebHallClients } from "../clients.js";
import { loadWebHallConfig } from "../config.js";

const appDir = (app: string) => new URL(`../../../${app}/`, import.meta.url);

/**
 * The web hall with its pages and every service its screens call, all real, for one browser test: customer,
 * catalog, billing (with the payment gateway simulator), orders, usage and notify (with an SMPP SMSC) on their own migrated and seeded
 * databases, one event bus, and the hall serving the built front-end (web/dist) on a free port.
 */
export async function webHallWithPages(
  options: {
    /** A campaign service whose live offers (its KV bucket at natsUrl) the hall shows and whose ids orders check. */
    campaign?: { address: string; natsUrl: string; bucket: string };
  } = {},
) {
  const logger = createLogger("web-hall-test", { level: "silent" });
  // The in-process bus (what `npm start` runs without NATS, held to the same contract tests as JetStream): the
  // services' durable consumer names are fixed (`usage--product-buckets`…), so on the shared test NATS another
  // test's usage service would take this test's product events. Here the pages are under test, not the bus.
  const bus = new InProcessBus({ logger });
  onTestFinished(() => bus.close());
  const stops: Array<() => Promise<void>> = [];

  const [customerDb, catalogDb, billingDb, ordersDb, usageDb, notifyDb] = await Promise.all(
    ["customer", "catalog", "billing", "orders", "usage", "notify"].map((app) => migratedTestDatabase(appDir(app))),
  );
  // Registered after the databases, so it runs before their drops: services stop while their databases exist.
  onTestFinished(async () => {
    for (const stop of stops.reverse()) await stop();
  });
  await seedCustomer(customerDb!.url);
  await seedCatalog(catalogDb!.url);
  const billingSeed = createBillingDb(billingDb!.url, 2);
  await seedBilling(billingSeed, { subscribers: 20 });
  await billingSeed.$disconnect();
  const ordersSeed = createOrdersDb(ordersDb!.url, 2);
  await seedOrders(ordersSeed, { subscribers: 20 });
  await ordersSeed.$disconnect();

  const pool = { DATABASE_POOL_SIZE: "3", PORT: "0", LOG_LEVEL: "silent" };
  const customerLogs = captureLogs("customer");
  const customer = await startCustomerService({
    config: loadCustomerConfig({ ...pool, DATABASE_URL: customerDb!.url, NODE_ENV: "development" }),
    bus,
    logger: customerLogs.logger,
  });
  stops.push(() => customer.stop());
  const catalog = await startCatalogService({
    config: loadCatalogConfig({ ...pool, DATABASE_URL: catalogDb!.url }),
    bus,
    logger,
  });
  stops.push(() => catalog.stop());
  // Notify keeps marketing consent; it sends through an SMSC speaking real SMPP.
  const smsc = await FakeSmsc.start({ systemId: "omnihall", password: "smsc-test" });
  stops.push(() => smsc.close());
  const notify = await startNotifyService({
    config: loadNotifyConfig({
      ...pool,
      DATABASE_URL: notifyDb!.url,
      CUSTOMER_ADDRESS: customer.address,
      CATALOG_ADDRESS: catalog.address,
      SMPP_PORT: String(smsc.port),
      SMPP_SYSTEM_ID: "omnihall",
      SMPP_PASSWORD: "smsc-test",
      EVENT_CONSUMER: `webhall-t${uniqueSuffix()}`,
    }),
    bus,
    logger,
  });
  stops.push(() => notify.stop());
  const gateways = await startGatewaySimulator({ port: 0 });
  stops.push(() => gateways.stop());
  const billing = await startBillingService({
    config: loadBillingConfig({
      ...pool,
      DATABASE_URL: billingDb!.url,
      PAYMENT_NOTIFY_PORT: "0",
      PAYMENT_GATEWAY_URL: gateways.url,
    }),
    bus,
    logger,
  });
  stops.push(() => billing.stop());
  const usage = await startUsageService({
    config: loadUsageConfig({
      ...pool,
      USAGE_DB_POOL_SIZE: "3",
      DATABASE_URL: usageDb!.url,
      CUSTOMER_ADDRESS: customer.address,
    }),
    bus,
    logger,
  });
  stops.push(() => usage.stop());
  const orders = await startOrdersService({
    config: loadOrdersConfig({
      ...pool,
      DATABASE_URL: ordersDb!.url,
      CUSTOMER_ADDRESS: customer.address,
      BILLING_ADDRESS: billing.address,
      CATALOG_ADDRESS: catalog.address,
      CONFIRMATION_TTL_SECONDS: "600",
      PROVISIONING_LATENCY_MS: "0",
      SAGA_POLL_MS: "50",
      // The provisioning simulator's broadband milestones, seconds apart instead of a minute.
      INSTALLATION_STEP_MS: "500",
      ...(options.campaign ? { CAMPAIGN_ADDRESS: options.campaign.address } : {}),
    }),
    bus,
    logger,
  });
  stops.push(() => orders.stop());

  const config = loadWebHallConfig({
    CUSTOMER_ADDRESS: customer.address,
    BILLING_ADDRESS: billing.address,
    CATALOG_ADDRESS: catalog.address,
    ORDERS_ADDRESS: orders.address,
    USAGE_ADDRESS: usage.address,
    NOTIFY_ADDRESS: notify.address,
    RATE_LIMIT_PER_MINUTE: "0",
    ...(options.campaign
      ? {
          CAMPAIGN_ADDRESS: options.campaign.address,
          NATS_URL: options.campaign.natsUrl,
          LIVE_OFFERS_BUCKET: options.campaign.bucket,
        }
      : {}),
  });
  const clients = createWebHallClients(config);
  const app = await buildWebHall({ config, clients, logger, frontEnd: WEB_UI_ROOT });
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  stops.push(async () => {
    await app.close();
    closeWebHallClients(clients);
  });

  /** The last login code the customer service wrote to its log for this number (development mode). */
  function lastCodeFor(msisdn: string): string | undefined {
    const entry = customerLogs.entries.findLast((e) => e.msisdn === msisdn && typeof e.code === "string");
    return entry?.code as string | undefined;
  }

  // The network's mediation feed: usage records arrive as the platform's own ingest calls.
  const mediation = createServiceClient(UsageServiceClient, {
    address: usage.address,
    caller: "platform",
    credential: developmentCallerKey("platform"),
  });
  stops.push(async () => mediation.close());
  async function ingestUsage(records: UsageRecord[]) {
    const { result } = await mediation.ingestUsage({ requestId: `web-hall-test-${records[0]?.recordId}`, records });
    if (result?.rejectedCount)
      throw new Error(`usage rejected records: ${JSON.stringify(result.rejectedCountByReason)}`);
  }

  return { url, lastCodeFor, gateways, ingestUsage, billingDbUrl: billingDb!.url };
}
