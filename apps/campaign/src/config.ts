import { z } from "zod";
import { RETENTION_DEFAULT_DAYS } from "@omnihall/bus";
import { callerKey, databaseUrl, loadConfig, retentionDays, serviceAddress, serviceEnv } from "@omnihall/config";
import { LIVE_OFFERS_BUCKET } from "@omnihall/live-offers";

const positiveInt = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

export const campaignConfigSchema = z.object({
  ...serviceEnv(50057),
  /** The campaign service's own database. */
  DATABASE_URL: databaseUrl("postgresql://postgres@127.0.0.1:5432/omnihall_campaign"),
  DATABASE_POOL_SIZE: positiveInt(10),
  /**
   * NATS servers (comma-separated) holding the live offer set every hall watches. Unset: the set lives in this
   * process only (`npm start` without NATS, where the halls run in the same process).
   */
  NATS_URL: z
    .string()
    .optional()
    .transform((text) => (text ? text.split(",").map((server) => server.trim()) : undefined)),
  /** The KV bucket of the live offer set. */
  LIVE_OFFERS_BUCKET: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/)
    .default(LIVE_OFFERS_BUCKET),
  /** Replicas of that bucket (3 on the production cluster). */
  LIVE_OFFERS_REPLICAS: positiveInt(1),
  /** Durable consumer name prefix (`<prefix>--funnel-orders`…); one per deployment, tests on shared NATS use their own. */
  EVENT_CONSUMER: z
    .string()
    .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, { error: "lower-case words joined by -" })
    .default("campaign"),
  /** How often the scheduler looks for campaigns to launch or end (and repairs the live offer set). */
  CAMPAIGN_SCHEDULER_INTERVAL_MS: positiveInt(1000),
  /** The notification service the SMS waves hand their batches to. */
  NOTIFY_ADDRESS: serviceAddress("127.0.0.1:50056"),
  /** The key the campaign service presents when it calls notify (caller "campaigns"). */
  OMNIHALL_CALLER_KEY: callerKey("campaigns"),
  /** Audience members per wave batch (notify takes at most 500). */
  CAMPAIGN_WAVE_BATCH_SIZE: z.coerce.number().int().min(1).max(500).default(500),
  /** How often the waves look for launched, paused, resumed and ended campaigns. */
  CAMPAIGN_WAVE_INTERVAL_MS: positiveInt(500),
  /**
   * Most marketing messages per subscriber within the window, across all campaigns, whatever a campaign's own cap
   * (the stricter of the two applies; 0: only campaigns' own caps).
   */
  CAMPAIGN_FREQUENCY_CAP: z.coerce.number().int().min(0).default(0),
  /** The window the frequency caps count over, in days. */
  CAMPAIGN_FREQUENCY_WINDOW_DAYS: positiveInt(30),
  /** Days a request id is remembered (longer than any client retries a request). */
  RETENTION_REQUEST_LOG_DAYS: retentionDays(RETENTION_DEFAULT_DAYS.requestIds),
  /** Days a processed-event record is kept (longer than the streams keep an event, so redeliveries are caught). */
  RETENTION_PROCESSED_MESSAGE_DAYS: retentionDays(RETENTION_DEFAULT_DAYS.processedEvents),
});

export type CampaignConfig = z.output<typeof campaignConfigSchema>;

/** Reads the campaign service's configuration from the environment; the defaults run on one machine. */
export function loadCampaignConfig(env: Record<string, string | undefined> = process.env): CampaignConfig {
  return loadConfig(campaignConfigSchema, env);
}
