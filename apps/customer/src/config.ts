import { z } from "zod";
import { RETENTION_DEFAULT_DAYS } from "@omnihall/bus";
import { databaseUrl, developmentCredentials, loadConfig, natsUrl, retentionDays, serviceEnv } from "@omnihall/config";
import { sealingPublicKey } from "@omnihall/sealed-box";

const DEVELOPMENT_LOGIN_CODE_SECRET = "dev-only-login-code-secret";

const flag = z
  .enum(["true", "false", "1", "0"], { error: "must be true or false" })
  .transform((raw) => raw === "true" || raw === "1");

export const customerConfigSchema = z.object({
  ...serviceEnv(50051),
  /** The customer service's own database. */
  DATABASE_URL: databaseUrl("postgresql://postgres@127.0.0.1:5432/omnihall_customer"),
  DATABASE_POOL_SIZE: z.coerce.number().int().min(1).default(10),
  /** Where the login-code events go (main.ts connects; the platform launcher passes its own bus). */
  NATS_URL: natsUrl(),
  /** Key of the HMAC under which login codes are stored; a database dump must not reveal live codes. */
  LOGIN_CODE_SECRET: z
    .string()
    .min(16, { error: "must be at least 16 characters" })
    .default(DEVELOPMENT_LOGIN_CODE_SECRET)
    .register(developmentCredentials, { isDevelopmentValue: (raw) => raw === DEVELOPMENT_LOGIN_CODE_SECRET }),
  /**
   * The notification service's public key (its NOTIFY_PRIVATE_KEY's pair): login codes are sealed to it, so the
   * outbox and the event stream hold no readable code.
   */
  NOTIFY_PUBLIC_KEY: sealingPublicKey("notify"),
  /** Also write issued login codes to the log, so logging in works without an SMS gateway. Default: not in production. */
  LOGIN_CODE_LOG: flag.optional(),
  /** Days login attempts (login requests and their outcomes) are kept. */
  RETENTION_LOGIN_REQUEST_DAYS: retentionDays(RETENTION_DEFAULT_DAYS.loginAttempts),
  /** Days an agent's request id is remembered (longer than any retry). */
  RETENTION_AGENT_REQUEST_DAYS: retentionDays(RETENTION_DEFAULT_DAYS.requestIds),
  /** Days an operator's request id is remembered (longer than any retry). */
  RETENTION_OPERATOR_REQUEST_DAYS: retentionDays(RETENTION_DEFAULT_DAYS.requestIds),
  /** Days RegisterSubscriber remembers which subscriber a request id created (longer than any retry). */
  RETENTION_SUBSCRIBER_REGISTRATION_DAYS: retentionDays(RETENTION_DEFAULT_DAYS.requestIds),
  /** Days a processed-event record is kept (longer than the streams keep an event, so redeliveries are caught). */
  RETENTION_PROCESSED_MESSAGE_DAYS: retentionDays(RETENTION_DEFAULT_DAYS.processedEvents),
});

export type CustomerConfig = Omit<z.output<typeof customerConfigSchema>, "LOGIN_CODE_LOG"> & {
  LOGIN_CODE_LOG: boolean;
};

/** Reads the customer service's configuration from the environment; the defaults run on one machine. */
export function loadCustomerConfig(env: Record<string, string | undefined> = process.env): CustomerConfig {
  const config = loadConfig(customerConfigSchema, env);
  return { ...config, LOGIN_CODE_LOG: config.LOGIN_CODE_LOG ?? config.NODE_ENV !== "production" };
}
