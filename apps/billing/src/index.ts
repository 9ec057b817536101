import path from "node:path";
import { fileURLToPath } from "node:url";
import { OutboxRelay, RetentionSweeper, days, type EventBus } from "@omnihall/bus";
import { createServiceClient, createSubscriberWhereabouts } from "@omnihall/channel-client";
import { BillingServiceService } from "@omnihall/proto/omnihall/billing/v1/billing";
import { PointsServiceService } from "@omnihall/proto/omnihall/billing/v1/points";
import { CustomerServiceClient } from "@omnihall/proto/omnihall/customer/v1/customer";
import { openRegisteredAccounts } from "./accounts/open-registered-accounts.js";
import { createLogger, startService, type Logger, type RunningService } from "@omnihall/service-kit";
import type { BillingConfig } from "./config.js";
import { createBillingDb } from "./db.js";
import { startPointsExpiryJob } from "./points/expire-points.js";
import { pointsHandlers } from "./points/points-service.js";
import { sharedLookups } from "./access/subscriber-scope.js";
import { billingPolicy, pointsPolicy } from "./policy.js";
import { createGateways } from "./payments/gateways/gateways.js";
import { startNotificationServer } from "./payments/notification-server.js";
import { startPaymentSweep } from "./payments/payment-sweep.js";
import type { PaymentsDeps } from "./payments/payments-deps.js";
import { createAcquirer } from "./payments/pos/acquirer.js";
import { billingHandlers } from "./service.js";

export { loadBillingConfig, type BillingConfig } from "./config.js";
export { createBillingDb, type BillingDb } from "./db.js";
export { seedBilling } from "./seed.js";
export { BILLING_EVENTS, PaymentCompleted, ChargeCompleted, ChargeRefunded, PointsRedeemed } from "./events.js";
export { expirePoints } from "./points/expire-points.js";
export { billingPolicy, pointsPolicy } from "./policy.js";
export { sweepPayments } from "./payments/payment-sweep.js";
export { DEVELOPMENT_PAYMENT_KEYS } from "./payments/gateways/development-keys.js";

/** The running billing service; `paymentNotifyUrl` is where the gateways' notifications go. */
export type RunningBillingService = RunningService & { paymentNotifyUrl: string };
export { PAYMENT_METHODS_BY_CHANNEL } from "./payments/channel-methods.js";

const serviceDir = fileURLToPath(new URL("..", import.meta.url));

/** Where billing's schema and migrations are (for `migrateDeploy` and tests). */
export const billingMigrations = {
  schemaPath: path.join(serviceDir, "prisma", "schema.prisma"),
  migrationsDir: path.join(serviceDir, "prisma", "migrations"),
};

/** How often the service expires due loyalty points (they expire at a year's end, so hourly is prompt enough). */
const POINTS_EXPIRY_INTERVAL_MS = 60 * 60 * 1000;

/**
 * Starts the billing service: its database client, the outbox relay that publishes its events, the points expiry
 * job, and the gRPC server (BillingService and PointsService). stop() drains calls first, then the job, the relay
 * and the database.
 */
export async function startBillingService(options: {
  config: BillingConfig;
  bus: EventBus;
  logger?: Logger;
}): Promise<RunningBillingService> {
  const { config, bus } = options;
  const logger = options.logger ?? createLogger("billing", { level: config.LOG_LEVEL });
  const db = createBillingDb(config.DATABASE_URL, config.DATABASE_POOL_SIZE);
  const relay = new OutboxRelay({ databaseUrl: config.DATABASE_URL, bus, logger });
  await relay.start();
  // Processed-event records past any redelivery the streams can make (RETENTION_PROCESSED_MESSAGE_DAYS).
  const retention = new RetentionSweeper({
    databaseUrl: config.DATABASE_URL,
    logger,
    tables: [
      { table: "processed_message", column: "processed_at", maxAgeMs: days(config.RETENTION_PROCESSED_MESSAGE_DAYS) },
    ],
  });
  retention.start();
  const pointsExpiry = startPointsExpiryJob(db, logger, POINTS_EXPIRY_INTERVAL_MS);
  // Subscribers created by account openings (mini hall) get their prepaid account.
  const registrations = await openRegisteredAccounts(bus, db, logger);
  // Billing keeps no addresses: where a subscriber lives (for an agent's or operator's scope) is the customer
  // service's answer, remembered for a while.
  const customer = createServiceClient(CustomerServiceClient, {
    address: config.CUSTOMER_ADDRESS,
    caller: "billing",
    credential: config.OMNIHALL_CALLER_KEY,
    logger,
  });
  const whereabouts = sharedLookups(createSubscriberWhereabouts(customer));
  const payments: PaymentsDeps = {
    db,
    config,
    logger,
    notifyBaseUrl: config.PAYMENT_NOTIFY_BASE_URL ?? "",
    gateways: createGateways(config),
    acquirer: createAcquirer({
      url: config.ACQUIRER_URL,
      macKey: config.ACQUIRER_MAC_KEY,
      timeoutMs: config.GATEWAY_TIMEOUT_MS,
    }),
  };
  const notifications = await startNotificationServer(payments, {
    host: config.HOST,
    port: config.PAYMENT_NOTIFY_PORT,
  });
  payments.notifyBaseUrl ||= notifications.url;
  const sweep = startPaymentSweep(payments);
  const service = await startService({
    name: "billing",
    domain: "billing.omnihall",
    host: config.HOST,
    port: config.PORT,
    services: [
      {
        definition: BillingServiceService,
        handlers: billingHandlers(db, config, whereabouts, payments),
        policy: billingPolicy,
      },
      { definition: PointsServiceService, handlers: pointsHandlers(db, whereabouts), policy: pointsPolicy },
    ],
    callers: config.OMNIHALL_CALLER_KEYS,
    // METRICS_HOST / METRICS_PORT / OTEL_EXPORTER_OTLP_ENDPOINT of this service's environment.
    telemetry: config,
    logger,
    onShutdown: async () => {
      await notifications.server.close();
      await sweep.stop();
      await pointsExpiry.stop();
      await registrations.stop();
      customer.close();
      await retention.stop();
      await relay.stop();
      await db.$disconnect();
    },
  });
  return Object.assign(service, { paymentNotifyUrl: notifications.url });
}
