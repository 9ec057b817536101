import { z } from "zod";
import { callerEnv, databaseUrl, loadConfig, natsUrl, retentionDays, serviceEnv } from "@omnihall/config";
import { RETENTION_DEFAULT_DAYS } from "@omnihall/bus";
import { DEFAULT_BASE_URL, serviceDatabaseUrl } from "@omnihall/db";
import { DEVELOPMENT_PAYMENT_KEYS } from "./payments/gateways/development-keys.js";

const fen = (defaultFen: number) => z.coerce.bigint().positive().default(BigInt(defaultFen));

const seconds = (fallback: number) => z.coerce.number().int().min(1).default(fallback);
const key = (name: keyof typeof DEVELOPMENT_PAYMENT_KEYS) =>
  z
    .string()
    .min(16)
    .default(DEVELOPMENT_PAYMENT_KEYS[name])
    // PEM keys in one-line environment variables carry their line breaks as "\n".
    .transform((value) => value.replaceAll("\\n", "\n"));

const billingEnv = z.object({
  ...serviceEnv(50052),
  ...callerEnv("billing"),
  /** The billing service's own database. */
  DATABASE_URL: databaseUrl(serviceDatabaseUrl(DEFAULT_BASE_URL, "billing")),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
  NATS_URL: natsUrl(),
  /** The customer service: where a subscriber lives, to check an agent's or operator's scope. */
  CUSTOMER_ADDRESS: z.string().default("127.0.0.1:50051"),
  /** Largest single top-up (default ¥5,000). */
  TOP_UP_MAX_FEN: fen(500_000),
  /** Largest single charge for an order (default ¥50,000: broadband installations with equipment). */
  CHARGE_MAX_FEN: fen(5_000_000),
  /** Where billing listens for the gateways' notifications (HTTP); default PORT + 10 (50062), 0 when PORT is 0. */
  PAYMENT_NOTIFY_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  /** The notification URL as the gateways reach it (the operator's ingress in production); default: where it listens. */
  PAYMENT_NOTIFY_BASE_URL: z.url().optional(),
  /** The online gateways' base URL (the simulator's in development): /alipay, /wechat, /unionpay below it. */
  PAYMENT_GATEWAY_URL: z.url().default("http://127.0.0.1:8095"),
  /** The card acquirer's host (the simulator's in development). */
  ACQUIRER_URL: z.url().default("http://127.0.0.1:8095/acquirer"),
  /** Deadline of each call to a gateway or the acquirer. */
  GATEWAY_TIMEOUT_MS: z.coerce.number().int().min(100).default(5_000),
  ALIPAY_APP_ID: z.string().default("2021000000000001"),
  ALIPAY_MERCHANT_PRIVATE_KEY: key("ALIPAY_MERCHANT_PRIVATE_KEY"),
  ALIPAY_GATEWAY_PUBLIC_KEY: key("ALIPAY_GATEWAY_PUBLIC_KEY"),
  WECHAT_PAY_APP_ID: z.string().default("wx0000000000000001"),
  WECHAT_PAY_MERCHANT_ID: z.string().default("1900000001"),
  WECHAT_PAY_API_KEY: key("WECHAT_PAY_API_KEY"),
  UNIONPAY_MERCHANT_ID: z.string().default("777290058110048"),
  UNIONPAY_MERCHANT_PRIVATE_KEY: key("UNIONPAY_MERCHANT_PRIVATE_KEY"),
  UNIONPAY_GATEWAY_PUBLIC_KEY: key("UNIONPAY_GATEWAY_PUBLIC_KEY"),
  ACQUIRER_MERCHANT_ID: z.string().default("898440358120001"),
  ACQUIRER_MAC_KEY: key("ACQUIRER_MAC_KEY"),
  /** How long an online payment may stay unpaid. */
  PAYMENT_EXPIRY_SECONDS: seconds(900),
  /** How long billing waits for a notification before it asks the gateway itself (then again, doubling). */
  PAYMENT_QUERY_AFTER_SECONDS: seconds(30),
  /** A kiosk cash session untouched this long (a terminal that never came back) is closed with what it counted. */
  CASH_SESSION_IDLE_SECONDS: seconds(300),
  /** How often the payment sweep looks for late, expired and abandoned payments and pending refunds. */
  PAYMENT_SWEEP_MS: z.coerce.number().int().min(10).default(5_000),
  /** Days a processed-event record is kept (longer than the streams keep an event, so redeliveries are caught). */
  RETENTION_PROCESSED_MESSAGE_DAYS: retentionDays(RETENTION_DEFAULT_DAYS.processedEvents),
});

export type BillingConfig = Omit<z.output<typeof billingEnv>, "PAYMENT_NOTIFY_PORT"> & { PAYMENT_NOTIFY_PORT: number };

export function loadBillingConfig(env: Record<string, string | undefined> = process.env): BillingConfig {
  const loaded = loadConfig(billingEnv, env);
  // Beside the gRPC port, like it; a service on a free port (tests) takes a free one for this too.
  const config = {
    ...loaded,
    PAYMENT_NOTIFY_PORT: loaded.PAYMENT_NOTIFY_PORT ?? (loaded.PORT === 0 ? 0 : loaded.PORT + 10),
  };
  if (config.NODE_ENV === "production") {
    const development = (Object.keys(DEVELOPMENT_PAYMENT_KEYS) as (keyof typeof DEVELOPMENT_PAYMENT_KEYS)[]).filter(
      (name) => config[name] === DEVELOPMENT_PAYMENT_KEYS[name],
    );
    if (development.length > 0) {
      throw new Error(`Refusing to start: development payment keys in production (${development.join(", ")})`);
    }
  }
  return config;
}
