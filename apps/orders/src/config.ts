import { z } from "zod";
import { RETENTION_DEFAULT_DAYS } from "@omnihall/bus";
import { callerEnv, databaseUrl, loadConfig, natsUrl, retentionDays, serviceEnv } from "@omnihall/config";

const positiveInt = (fallback: number) => z.coerce.number().int().min(1).default(fallback);
const nonNegativeInt = (fallback: number) => z.coerce.number().int().min(0).default(fallback);

export const ordersConfigSchema = z.object({
  ...serviceEnv(50054),
  ...callerEnv("orders"),
  /** The orders service's own database. */
  DATABASE_URL: databaseUrl("postgresql://postgres@127.0.0.1:5432/omnihall_orders"),
  NATS_URL: natsUrl(),
  DATABASE_POOL_SIZE: positiveInt(20),
  CUSTOMER_ADDRESS: z.string().default("127.0.0.1:50051"),
  BILLING_ADDRESS: z.string().default("127.0.0.1:50052"),
  CATALOG_ADDRESS: z.string().default("127.0.0.1:50053"),
  /** The campaign service, asked about the campaign an order names. */
  CAMPAIGN_ADDRESS: z.string().default("127.0.0.1:50057"),
  /** How long a subscriber has to confirm an order before it is cancelled. */
  CONFIRMATION_TTL_SECONDS: positiveInt(15 * 60),
  /** Sagas run at once (a saga holds no database connection while it calls other services). */
  SAGA_WORKERS: positiveInt(8),
  /**
   * How long a saga step claimed by a worker stays its own; must outlast the step's calls. A worker that dies
   * mid-step leaves the order to be taken over after this.
   */
  SAGA_LEASE_MS: positiveInt(30_000),
  /** How often idle saga workers look for due steps (confirmation also wakes them at once). */
  SAGA_POLL_MS: positiveInt(200),
  /** Tries of a step whose dependency keeps failing before the order is failed (a refund never gives up). */
  SAGA_MAX_ATTEMPTS: positiveInt(10),
  /** First retry delay of a failed step, doubling per attempt up to a minute. */
  SAGA_RETRY_MS: positiveInt(1000),
  /**
   * How long a confirmed order whose price the balance does not cover waits, HELD, for a payment (purpose ORDER)
   * before it fails with INSUFFICIENT_BALANCE; 0 fails it at once.
   */
  ORDER_PAYMENT_WAIT_SECONDS: nonNegativeInt(30 * 60),
  /** Deadline of each call the saga makes to another service. */
  DEPENDENCY_DEADLINE_MS: positiveInt(5000),
  PROVISIONING_LATENCY_MS: nonNegativeInt(200),
  PROVISIONING_FAILURE_RATE: z.coerce.number().min(0).max(1).default(0),
  /** Time between broadband installation milestones in the simulator. */
  INSTALLATION_STEP_MS: nonNegativeInt(60_000),
  /** How often the lifecycle job expires unconfirmed orders and ends, converts and announces products. */
  LIFECYCLE_INTERVAL_MS: positiveInt(30_000),
  /** How long before a trial or pack ends orders.product.expiring is published. */
  EXPIRY_NOTICE_HOURS: positiveInt(24),
  /** Days a request id is remembered (longer than any client retries a request). */
  RETENTION_REQUEST_RECORD_DAYS: retentionDays(RETENTION_DEFAULT_DAYS.requestIds),
  /** Days a processed-event record is kept (longer than the streams keep an event, so redeliveries are caught). */
  RETENTION_PROCESSED_MESSAGE_DAYS: retentionDays(RETENTION_DEFAULT_DAYS.processedEvents),
});

export type OrdersConfig = z.output<typeof ordersConfigSchema>;

/** Reads the orders service's configuration from the environment; the defaults run on one machine. */
export function loadOrdersConfig(env: Record<string, string | undefined> = process.env): OrdersConfig {
  return loadConfig(ordersConfigSchema, env);
}
