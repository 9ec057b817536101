import { z } from "zod";
import {
  callerEnv,
  developmentCredentials,
  host,
  loadConfig,
  logLevel,
  nodeEnv,
  port,
  serviceAddress,
  telemetryEnv,
} from "@omnihall/config";

const DEVELOPMENT_SMPP_PASSWORD = "omnihall";
const DEVELOPMENT_WEBHOOK_SECRET = "dev-only-sms-hall-webhook-secret";
const positiveInt = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

const smsHallEnv = z.object({
  NODE_ENV: nodeEnv,
  LOG_LEVEL: logLevel,
  /** Where the signed webhook for aggregator gateways listens. */
  HOST: host(),
  PORT: port(8090),
  ...callerEnv("sms-hall"),
  // METRICS_HOST / METRICS_PORT (default PORT + 1000) / OTEL_EXPORTER_OTLP_ENDPOINT, as every app reads them.
  ...telemetryEnv(),
  CUSTOMER_ADDRESS: serviceAddress("127.0.0.1:50051"),
  BILLING_ADDRESS: serviceAddress("127.0.0.1:50052"),
  ORDERS_ADDRESS: serviceAddress("127.0.0.1:50054"),
  USAGE_ADDRESS: serviceAddress("127.0.0.1:50055"),
  NOTIFY_ADDRESS: serviceAddress("127.0.0.1:50056"),
  /** The campaign service: which live campaign a reply keyword ("reply LL8 to accept") orders. */
  CAMPAIGN_ADDRESS: serviceAddress("127.0.0.1:50057"),
  DOMAIN_CALL_DEADLINE_MS: positiveInt(3000),
  /** Which gateway delivers the texts subscribers send: an SMSC (SMPP), a CMPP 3.0 gateway, or none (webhook only). */
  SMS_HALL_GATEWAY: z.enum(["smpp", "cmpp", "none"], { error: "must be smpp, cmpp or none" }).default("smpp"),
  SMS_HALL_SMPP_HOST: z.string().default("127.0.0.1"),
  SMS_HALL_SMPP_PORT: z.coerce.number().int().min(1).max(65535).default(2775),
  SMS_HALL_SMPP_SYSTEM_ID: z.string().default("omnihall-hall"),
  SMS_HALL_SMPP_PASSWORD: z
    .string()
    .default(DEVELOPMENT_SMPP_PASSWORD)
    .register(developmentCredentials, { isDevelopmentValue: (raw) => raw === DEVELOPMENT_SMPP_PASSWORD }),
  SMS_HALL_CMPP_HOST: z.string().default("127.0.0.1"),
  SMS_HALL_CMPP_PORT: z.coerce.number().int().min(1).max(65535).default(7890),
  /** SP enterprise code and shared secret agreed with the CMPP gateway. */
  SMS_HALL_CMPP_SOURCE_ADDR: z.string().length(6, { error: "must be the 6-character SP code" }).default("901234"),
  SMS_HALL_CMPP_SHARED_SECRET: z
    .string()
    .default(DEVELOPMENT_SMPP_PASSWORD)
    .register(developmentCredentials, { isDevelopmentValue: (raw) => raw === DEVELOPMENT_SMPP_PASSWORD }),
  /** HMAC-SHA256 key aggregator gateways sign webhook calls with. */
  SMS_HALL_WEBHOOK_SECRET: z
    .string()
    .min(16, { error: "must be at least 16 characters" })
    .default(DEVELOPMENT_WEBHOOK_SECRET)
    .register(developmentCredentials, { isDevelopmentValue: (raw) => raw === DEVELOPMENT_WEBHOOK_SECRET }),
  /** Texts one number may send per minute before it is told to slow down (and then ignored for the minute). */
  SMS_HALL_MESSAGES_PER_MINUTE: positiveInt(20),
  /** Texts of one number waiting to be handled; more are dropped. */
  SMS_HALL_MAX_QUEUED_PER_NUMBER: positiveInt(5),
  /** Texts handled at once across all numbers; a burst waits its turn instead of overrunning the services. */
  SMS_HALL_CONCURRENCY: positiveInt(64),
  /** How long the numbers of a "0000" list can be replied. */
  SMS_HALL_PROMPT_TTL_MS: positiveInt(10 * 60_000),
  /** How long the parts of a long text wait for each other. */
  SMS_HALL_CONCAT_TIMEOUT_MS: positiveInt(30_000),
});

export type SmsHallConfig = z.output<typeof smsHallEnv>;

export function loadSmsHallConfig(env: Record<string, string | undefined> = process.env): SmsHallConfig {
  return loadConfig(smsHallEnv, env);
}
