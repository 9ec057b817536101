import { z } from "zod";
import { RETENTION_DEFAULT_DAYS } from "@omnihall/bus";
import {
  callerKey,
  databaseUrl,
  developmentCredentials,
  loadConfig,
  natsUrl,
  retentionDays,
  serviceAddress,
  serviceEnv,
} from "@omnihall/config";
import { sealingPrivateKey } from "@omnihall/sealed-box";
import { DEFAULT_QUIET_HOURS, parseQuietHours } from "./delivery/quiet-hours.js";

const DEVELOPMENT_SMPP_PASSWORD = "omnihall";
const DEVELOPMENT_WEBHOOK_SECRET = "dev-only-sms-webhook-secret";

const positiveInt = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

export const notifyConfigSchema = z.object({
  ...serviceEnv(50056),
  /** The notify service's own database. */
  DATABASE_URL: databaseUrl("postgresql://postgres@127.0.0.1:5432/omnihall_notify"),
  DATABASE_POOL_SIZE: positiveInt(10),
  /** Where the events it turns into messages come from (main.ts connects; the platform launcher passes its bus). */
  NATS_URL: natsUrl(),
  /** Durable consumer name prefix (`<name>--notices`); one per deployment, tests use their own. */
  EVENT_CONSUMER: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { error: "lower-case words joined by -" })
    .default("notify"),
  /**
   * How long an event may stay unacknowledged before JetStream delivers it again (a crashed instance's events
   * come back after this). Must outlast handling one event.
   */
  EVENT_ACK_WAIT_MS: positiveInt(30_000),
  /**
   * Notify's own key: login codes arrive sealed to its public half (the customer service's NOTIFY_PUBLIC_KEY),
   * and texts holding a secret wait for their send sealed to it. Only this service may hold it.
   */
  NOTIFY_PRIVATE_KEY: sealingPrivateKey("notify"),
  /** Recipient facts come from here. */
  CUSTOMER_ADDRESS: serviceAddress("127.0.0.1:50051"),
  /** Roaming rates and packs come from here. */
  CATALOG_ADDRESS: serviceAddress("127.0.0.1:50053"),
  /** The key notify presents when it calls customer and catalog. */
  OMNIHALL_CALLER_KEY: callerKey("notify"),
  /** How long a subscriber's number, language and time zone are reused before asking again. */
  RECIPIENT_CACHE_TTL_MS: positiveInt(5 * 60_000),
  /** Sender number of service messages (reminders, confirmations, order progress). */
  SERVICE_SENDER: z.string().min(1).default("10086"),
  /** Sender number of marketing messages; operators keep it apart from the service number. */
  MARKETING_SENDER: z.string().min(1).default("1068610086"),
  /** When marketing is held back, in each subscriber's own time zone ("HH:MM-HH:MM"; equal ends: never). */
  MARKETING_QUIET_HOURS: z
    .string()
    .default(DEFAULT_QUIET_HOURS)
    .transform((window, ctx) => {
      try {
        return parseQuietHours(window);
      } catch (error) {
        ctx.issues.push({ code: "custom", message: (error as Error).message, input: window });
        return z.NEVER;
      }
    }),
  /**
   * Marketing met in quiet hours goes out spread evenly over this many minutes after the window ends (by message),
   * not all at its end. 0: all at the end.
   */
  MARKETING_QUIET_SPREAD_MINUTES: z.coerce.number().int().min(0).max(720).default(180),
  /** Attempts per message before it fails; temporary failures are retried with doubling delays. */
  SEND_MAX_ATTEMPTS: positiveInt(8),
  SEND_RETRY_BASE_MS: positiveInt(5_000),
  SEND_RETRY_MAX_MS: positiveInt(10 * 60_000),
  /** How often the dispatcher looks for due messages (retries, ends of quiet hours); new ones wake it at once. */
  DISPATCH_POLL_MS: positiveInt(1_000),
  /** Messages one dispatcher claims per round; a stopping instance finishes the round it is in. */
  DISPATCH_BATCH_SIZE: positiveInt(50),
  /** Which SMS channel carries the messages. */
  SMS_PROVIDER: z.enum(["smpp", "cmpp", "webhook"], { error: "must be smpp, cmpp or webhook" }).default("smpp"),
  SMPP_HOST: z.string().default("127.0.0.1"),
  SMPP_PORT: z.coerce.number().int().min(1).max(65535).default(2775),
  SMPP_SYSTEM_ID: z.string().default("omnihall"),
  SMPP_PASSWORD: z
    .string()
    .default(DEVELOPMENT_SMPP_PASSWORD)
    .register(developmentCredentials, { isDevelopmentValue: (raw) => raw === DEVELOPMENT_SMPP_PASSWORD }),
  SMPP_SYSTEM_TYPE: z.string().default(""),
  /** submit_sm awaiting their response at once, as agreed with the SMSC. */
  SMPP_WINDOW: positiveInt(10),
  /**
   * SMS parts per second, as agreed with the SMSC: each instance paces its own link to it, and all instances
   * together keep to it through the shared bucket in the database (send_rate_bucket, service messages first).
   */
  SMPP_RATE: positiveInt(50),
  SMS_WEBHOOK_URL: z.url().default("http://127.0.0.1:8089/sms"),
  SMS_WEBHOOK_SECRET: z
    .string()
    .min(16)
    .default(DEVELOPMENT_WEBHOOK_SECRET)
    .register(developmentCredentials, { isDevelopmentValue: (raw) => raw === DEVELOPMENT_WEBHOOK_SECRET }),
  /** A CMPP 3.0 gateway (SMS_PROVIDER=cmpp): address, SP code, shared secret, service id. */
  CMPP_HOST: z.string().default("127.0.0.1"),
  CMPP_PORT: z.coerce.number().int().min(1).max(65535).default(7890),
  CMPP_SOURCE_ADDR: z.string().length(6, { error: "must be the 6-character SP code" }).default("901234"),
  CMPP_SHARED_SECRET: z
    .string()
    .default(DEVELOPMENT_SMPP_PASSWORD)
    .register(developmentCredentials, { isDevelopmentValue: (raw) => raw === DEVELOPMENT_SMPP_PASSWORD }),
  CMPP_SERVICE_ID: z.string().max(10).default("OMNIHALL"),
  /** Port of the HTTP endpoint the webhook gateway posts delivery reports to (POST /delivery-reports). */
  DELIVERY_REPORT_PORT: z.coerce.number().int().min(0).max(65535).default(50066),
  /** Days a finished (delivered or failed) message and its parts are kept, for subscriber enquiries. */
  RETENTION_MESSAGE_DAYS: retentionDays(RETENTION_DEFAULT_DAYS.deliveredMessages),
  /** Days a delivery receipt waits for its part (seconds, normally): after that it will never be matched. */
  RETENTION_DELIVERY_REPORT_DAYS: retentionDays(7),
  /** Days a processed-event record is kept (longer than the streams keep an event, so redeliveries are caught). */
  RETENTION_PROCESSED_MESSAGE_DAYS: retentionDays(RETENTION_DEFAULT_DAYS.processedEvents),
});

export type NotifyConfig = z.output<typeof notifyConfigSchema>;

/** Reads the notify service's configuration from the environment; the defaults run on one machine. */
export function loadNotifyConfig(env: Record<string, string | undefined> = process.env): NotifyConfig {
  return loadConfig(notifyConfigSchema, env);
}
