import { fileURLToPath } from "node:url";
import { OutboxRelay, RetentionSweeper, days, type EventBus } from "@omnihall/bus";
import { createServiceClient, createSubscriberWhereabouts } from "@omnihall/channel-client";
import { BillingServiceClient } from "@omnihall/proto/omnihall/billing/v1/billing";
import { CampaignServiceClient } from "@omnihall/proto/omnihall/campaign/v1/campaign";
import { CatalogServiceClient } from "@omnihall/proto/omnihall/catalog/v1/catalog";
import { CustomerServiceClient } from "@omnihall/proto/omnihall/customer/v1/customer";
import { SubscriberRegistrationServiceClient } from "@omnihall/proto/omnihall/customer/v1/registration";
import { accountOpeningService } from "./account-opening/account-opening-service.js";
import { createLogger, startService, type Logger, type RunningService } from "@omnihall/service-kit";
import type { OrdersConfig } from "./config.js";
import { createOrdersDb } from "./db.js";
import { OrderErrors } from "./errors.js";
import type { Dependencies } from "./dependencies/dependencies.js";
import { LifecycleJob } from "./lifecycle/lifecycle-job.js";
import { orderService } from "./order-service.js";
import { createProvisioningSimulator } from "./provisioning/provisioning-simulator.js";
import { SagaWorker } from "./saga/saga-worker.js";
import { consumePayments } from "./saga/payment-consumer.js";

export { loadOrdersConfig, ordersConfigSchema, type OrdersConfig } from "./config.js";
export { createOrdersDb, type OrdersDb } from "./db.js";
export { seedOrders } from "./seed/seed-orders.js";
export { ordersPolicy } from "./policy.js";
export { accountOpeningPolicy } from "./account-opening/account-opening-policy.js";
// Valid real-name test data (check characters computed by the same rules the service checks with).
export { withIdCheckCharacter, withLuhnDigit } from "./account-opening/identity-checks.js";
export * from "./events.js";
export type { Dependencies } from "./dependencies/dependencies.js";
export type { ProvisioningAdapter } from "./provisioning/provisioning-adapter.js";
export { createProvisioningSimulator } from "./provisioning/provisioning-simulator.js";

/** Where the orders schema and migrations live, for migrateDeploy and tests. */
export const ordersMigrations = {
  schemaPath: fileURLToPath(new URL("../prisma/schema.prisma", import.meta.url)),
  migrationsDir: fileURLToPath(new URL("../prisma/migrations", import.meta.url)),
};

export interface StartOrdersServiceOptions {
  config: OrdersConfig;
  bus: EventBus;
  logger?: Logger;
  /** Replaces the network provisioning simulator the config describes. */
  provisioning?: Dependencies["provisioning"];
}

export interface RunningOrdersService extends RunningService {
  /** Runs the time-driven rules now (tests): expiries, announcements, product ends, trial conversions. */
  runLifecycle(now?: Date): Promise<void>;
}

/**
 * Starts the order engine: its database client, the outbox relay, the saga workers and the lifecycle job, and
 * the gRPC server. stop() drains calls, then stops the workers (letting steps in hand finish), the relay and
 * the database.
 */
export async function startOrdersService(options: StartOrdersServiceOptions): Promise<RunningOrdersService> {
  const { config, bus } = options;
  const logger = options.logger ?? createLogger("orders", { level: config.LOG_LEVEL });
  const db = createOrdersDb(config.DATABASE_URL, config.DATABASE_POOL_SIZE);
  const clientOptions = (address: string) => ({
    address,
    caller: "orders",
    credential: config.OMNIHALL_CALLER_KEY,
    defaultDeadlineMs: config.DEPENDENCY_DEADLINE_MS,
    logger,
  });
  const catalog = createServiceClient(CatalogServiceClient, clientOptions(config.CATALOG_ADDRESS));
  const billing = createServiceClient(BillingServiceClient, clientOptions(config.BILLING_ADDRESS));
  const customer = createServiceClient(CustomerServiceClient, clientOptions(config.CUSTOMER_ADDRESS));
  const registration = createServiceClient(SubscriberRegistrationServiceClient, clientOptions(config.CUSTOMER_ADDRESS));
  const campaign = createServiceClient(CampaignServiceClient, clientOptions(config.CAMPAIGN_ADDRESS));
  const deps: Dependencies = {
    catalog,
    billing,
    customer,
    campaign,
    provisioning:
      options.provisioning ??
      createProvisioningSimulator({
        latencyMs: config.PROVISIONING_LATENCY_MS,
        failureRate: config.PROVISIONING_FAILURE_RATE,
        installationStepMs: config.INSTALLATION_STEP_MS,
      }),
  };

  const saga = new SagaWorker({
    db,
    deps,
    logger,
    concurrency: config.SAGA_WORKERS,
    pollMs: config.SAGA_POLL_MS,
    maxAttempts: config.SAGA_MAX_ATTEMPTS,
    retryMs: config.SAGA_RETRY_MS,
    deadlineMs: config.DEPENDENCY_DEADLINE_MS,
    installationPollMs: Math.max(config.SAGA_POLL_MS, Math.min(config.INSTALLATION_STEP_MS, 30_000)),
    leaseMs: config.SAGA_LEASE_MS,
    paymentWaitMs: config.ORDER_PAYMENT_WAIT_SECONDS * 1000,
  });
  const lifecycle = new LifecycleJob({
    db,
    logger,
    intervalMs: config.LIFECYCLE_INTERVAL_MS,
    expiryNoticeMs: config.EXPIRY_NOTICE_HOURS * 3_600_000,
    wakeSaga: () => saga.wake(),
  });
  const relay = new OutboxRelay({ databaseUrl: config.DATABASE_URL, bus, logger });
  await relay.start();
  // The request-id ledger past any retry, processed events past any redelivery (RETENTION_<TABLE>_DAYS).
  const retention = new RetentionSweeper({
    databaseUrl: config.DATABASE_URL,
    logger,
    tables: [
      { table: "request_record", column: "created_at", maxAgeMs: days(config.RETENTION_REQUEST_RECORD_DAYS) },
      { table: "processed_message", column: "processed_at", maxAgeMs: days(config.RETENTION_PROCESSED_MESSAGE_DAYS) },
    ],
  });
  retention.start();
  saga.start();
  lifecycle.start();
  const payments = await consumePayments(bus, db, { logger, wakeSaga: () => saga.wake() });

  // Where a subscriber lives, for an agent's or operator's scope; an outage of the customer service is ours too.
  const lookUpWhereabouts = createSubscriberWhereabouts(customer);
  const whereabouts = async (subscriberId: string) => {
    try {
      return await lookUpWhereabouts(subscriberId);
    } catch {
      throw OrderErrors.dependencyUnavailable();
    }
  };

  const running = await startService({
    name: "orders",
    domain: "orders.omnihall",
    host: config.HOST,
    port: config.PORT,
    services: [
      orderService(
        {
          db,
          deps,
          confirmationTtlMs: config.CONFIRMATION_TTL_SECONDS * 1000,
          dependencyDeadlineMs: config.DEPENDENCY_DEADLINE_MS,
          wakeSaga: () => saga.wake(),
        },
        whereabouts,
      ),
      accountOpeningService({
        db,
        catalog,
        registration,
        dependencyDeadlineMs: config.DEPENDENCY_DEADLINE_MS,
        now: () => new Date(),
      }),
    ],
    callers: config.OMNIHALL_CALLER_KEYS,
    // METRICS_HOST / METRICS_PORT / OTEL_EXPORTER_OTLP_ENDPOINT of this service's environment.
    telemetry: config,
    logger,
    onShutdown: async () => {
      await payments.stop();
      await lifecycle.stop();
      await saga.stop();
      await retention.stop();
      await relay.stop();
      for (const client of [catalog, billing, customer, registration, campaign]) client.close();
      await db.$disconnect();
    },
  });
  return { ...running, runLifecycle: (now) => lifecycle.tick(now) };
}
