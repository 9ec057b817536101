/**
 * Orders per second through the whole saga (create → confirm → eligibility → charge → provision → activate →
 * completed) with the provisioning simulator at zero latency, over real gRPC between real catalog, customer,
 * billing and orders services and a real PostgreSQL (DATABASE_URL's server, default local). Events go through
 * an in-process bus. Prints figures; never fails on speed.
 */
import { randomBytes } from "node:crypto";
import { availableParallelism } from "node:os";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { billingMigrations, createBillingDb, loadBillingConfig, startBillingService } from "@omnihall/billing";
import { InProcessBus } from "@omnihall/bus";
import { catalogMigrations, loadCatalogConfig, seedCatalog, startCatalogService } from "@omnihall/catalog";
import { createServiceClient } from "@omnihall/channel-client";
import { developmentCallerKey } from "@omnihall/config";
import { customerMigrations, loadCustomerConfig, seedCustomer, startCustomerService } from "@omnihall/customer";
import { databaseUrlFor, dropDatabase, maintenanceUrl, migrateDeploy } from "@omnihall/db";
import { demoSubscribers } from "@omnihall/demo-data";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { CreateOrderRequest, OrderServiceClient } from "@omnihall/proto/omnihall/orders/v1/orders";
import { createLogger } from "@omnihall/service-kit";
import { createOrdersDb, loadOrdersConfig, ordersMigrations, startOrdersService } from "../src/index.js";

const ORDERS = Number(process.env.BENCH_ORDERS ?? 300);
const CONCURRENCY = 16;
const SAGA_WORKERS = Number(process.env.BENCH_SAGA_WORKERS ?? 8);
const baseUrl = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const suffix = randomBytes(4).toString("hex");
const databases = {
  catalog: databaseUrlFor(baseUrl, `omnihall_catalog_bench_${suffix}`),
  customer: databaseUrlFor(baseUrl, `omnihall_customer_bench_${suffix}`),
  billing: databaseUrlFor(baseUrl, `omnihall_billing_bench_${suffix}`),
  orders: databaseUrlFor(baseUrl, `omnihall_orders_bench_${suffix}`),
};
const logger = createLogger("orders-bench", { level: "error" });
const bus = new InProcessBus({ logger });
const stops: Array<() => Promise<unknown>> = [];

try {
  await Promise.all([
    migrateDeploy({ ...catalogMigrations, databaseUrl: databases.catalog }),
    migrateDeploy({ ...customerMigrations, databaseUrl: databases.customer }),
    migrateDeploy({ ...billingMigrations, databaseUrl: databases.billing }),
    migrateDeploy({ ...ordersMigrations, databaseUrl: databases.orders }),
  ]);
  await Promise.all([seedCatalog(databases.catalog), seedCustomer(databases.customer)]);
  const subscribers = demoSubscribers().filter((subscriber) => subscriber.provinceCode === "GD");
  const billingDb = createBillingDb(databases.billing, 2);
  await billingDb.account.createMany({
    data: subscribers.map((subscriber) => ({ subscriberId: subscriber.subscriberId, balanceFen: 1_000_000_00n })),
  });
  await billingDb.$disconnect();

  // Small pools: the whole platform shares one PostgreSQL (max_connections 100 by default).
  const silent = { LOG_LEVEL: "error", PORT: "0", DATABASE_POOL_SIZE: "8" };
  const catalog = await startCatalogService({
    config: loadCatalogConfig({ ...silent, DATABASE_URL: databases.catalog }),
  });
  stops.push(catalog.stop);
  const customer = await startCustomerService({
    config: loadCustomerConfig({ ...silent, DATABASE_URL: databases.customer }),
    bus,
    logger,
  });
  stops.push(customer.stop);
  const billing = await startBillingService({
    config: loadBillingConfig({ ...silent, DATABASE_URL: databases.billing, PAYMENT_NOTIFY_PORT: "0" }),
    bus,
    logger,
  });
  stops.push(billing.stop);
  const orders = await startOrdersService({
    config: loadOrdersConfig({
      ...silent,
      DATABASE_URL: databases.orders,
      DATABASE_POOL_SIZE: String(SAGA_WORKERS + 6),
      CATALOG_ADDRESS: catalog.address,
      CUSTOMER_ADDRESS: customer.address,
      BILLING_ADDRESS: billing.address,
      SAGA_WORKERS: String(SAGA_WORKERS),
      SAGA_POLL_MS: "200",
      PROVISIONING_LATENCY_MS: "0",
    }),
    bus,
    logger,
  });
  stops.push(orders.stop);
  const client = createServiceClient(OrderServiceClient, {
    address: orders.address,
    // The platform's own tools are trusted with the subscriber each request names (no acting party to sign).
    caller: "platform",
    credential: developmentCallerKey("platform"),
    defaultDeadlineMs: 60_000,
  });
  stops.push(async () => client.close());

  console.log(
    `orders bench: ${ORDERS} orders, ${CONCURRENCY} halls at once, ${SAGA_WORKERS} saga workers, ` +
      `${availableParallelism()} cores, catalog/customer/billing/orders in this one process`,
  );
  const started = performance.now();
  const latencies: number[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < ORDERS) {
        const i = next++;
        const subscriberId = subscribers[i % subscribers.length]!.subscriberId;
        const callStarted = performance.now();
        const { order } = await client.createOrder(
          CreateOrderRequest.fromPartial({
            requestId: `bench-${suffix}-${i}`,
            subscriberId,
            offeringCode: "DATA_1GB_1D",
            channel: Channel.CHANNEL_WEB_HALL,
          }),
        );
        await client.confirmOrder({
          requestId: `bench-confirm-${suffix}-${i}`,
          subscriberId,
          orderId: order!.orderId,
          confirmationCode: "",
        });
        latencies.push(performance.now() - callStarted);
      }
    }),
  );
  const accepted = performance.now();
  const ordersDb = createOrdersDb(databases.orders, 2);
  for (;;) {
    const open = await ordersDb.order.count({ where: { sagaStep: { not: null } } });
    if (open === 0) break;
    await sleep(20);
  }
  const finished = performance.now();
  const completed = await ordersDb.order.count({ where: { state: "COMPLETED" } });
  await ordersDb.$disconnect();

  latencies.sort((a, b) => a - b);
  const percentile = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))]!;
  const seconds = (finished - started) / 1000;
  console.log(
    `create+confirm (hall-facing)   ${(ORDERS / ((accepted - started) / 1000)).toFixed(0).padStart(6)}/s  ` +
      `p50 ${percentile(0.5).toFixed(1)} ms (target < 20)  p99 ${percentile(0.99).toFixed(1)} ms`,
  );
  console.log(
    `full saga to completed         ${(completed / seconds).toFixed(0).padStart(6)} orders/s  ` +
      `(target >= 300; ${completed}/${ORDERS} completed in ${seconds.toFixed(2)} s)`,
  );
} finally {
  for (const stop of stops.reverse()) await stop();
  await bus.close();
  for (const url of Object.values(databases)) {
    await dropDatabase(maintenanceUrl(url), new URL(url).pathname.slice(1));
  }
}
