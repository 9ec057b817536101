import {
  callerEnv,
  developmentCredentials,
  host,
  logLevel,
  natsReplicas,
  nodeEnv,
  port,
  telemetryEnv,
} from "@omnihall/config";
import { LIVE_OFFERS_BUCKET } from "@omnihall/live-offers";
import { z } from "zod";

/**
 * Words that mark a secret as made up by a person for development or an example: a production secret is random
 * (e.g. `openssl rand -base64 48`). Compared without case, spaces or punctuation, so `DEV_ONLY_KEY…`,
 * `…secret!` and `Change-Me` all count.
 */
const DEVELOPMENT_WORDS = [
  "devonlykey", // the marker of every development credential (packages/config)
  "devonly",
  "development",
  "sessionsigningsecret", // the body of the halls' development session secret
  "changeme",
  "changethis",
  "example",
  "placeholder",
  "password",
  "insecure",
  "notsecret",
];
const MIN_DISTINCT_CHARACTERS = 8;
export const MIN_SESSION_SECRET_LENGTH = 32;

/** Whether a session secret looks made up rather than random; refused in production. */
export function isDevelopmentSecret(raw: string): boolean {
  const normalized = raw.toLowerCase().replace(/[^a-z0-9]/g, "");
  if (DEVELOPMENT_WORDS.some((word) => normalized.includes(word))) return true;
  // "aaaa…", "abababab…", "12341234…": long enough, but nobody generated it.
  return new Set(raw).size < MIN_DISTINCT_CHARACTERS;
}

export function developmentSessionSecret(hall: string): string {
  return `dev-only-key-${hall}-session-signing-secret`;
}

/**
 * `SESSION_SECRET`: the HMAC key of a hall's session tokens. At least 32 characters; in production it must be
 * set, and every development-looking value is refused (see `isDevelopmentSecret`).
 */
export function sessionSecret(hall: string) {
  return z
    .string()
    .min(MIN_SESSION_SECRET_LENGTH, { error: `must be at least ${MIN_SESSION_SECRET_LENGTH} characters` })
    .default(developmentSessionSecret(hall))
    .register(developmentCredentials, { isDevelopmentValue: isDevelopmentSecret });
}

const flag = (defaultValue: boolean) =>
  z
    .enum(["true", "false", "1", "0"], { error: "must be true or false" })
    .default(defaultValue ? "true" : "false")
    .transform((value) => value === "true" || value === "1");

const minutes = (defaultValue: number, max: number) =>
  z.coerce
    .number({ error: "must be a whole number of minutes" })
    .int({ error: "must be a whole number of minutes" })
    .min(1)
    .max(max)
    .default(defaultValue);

/**
 * The variables every hall reads; spread into the hall's own schema with its caller name and default port:
 * `z.object({ ...hallEnv("web-hall", 8080), CUSTOMER_ADDRESS: … })`.
 */
export function hallEnv(hall: string, defaultPort: number) {
  return {
    NODE_ENV: nodeEnv,
    LOG_LEVEL: logLevel,
    HOST: host(),
    PORT: port(defaultPort),
    ...callerEnv(hall),
    // METRICS_HOST / METRICS_PORT / OTEL_EXPORTER_OTLP_ENDPOINT, as every service reads them.
    ...telemetryEnv(),
    SESSION_SECRET: sessionSecret(hall),
    /** Lifetime of one session token; refreshing issues a new one. */
    SESSION_TTL_MINUTES: minutes(30, 24 * 60),
    /** The longest a login lasts however often it is refreshed. */
    SESSION_MAX_LIFETIME_MINUTES: minutes(12 * 60, 30 * 24 * 60),
    /** Secure session cookies (HTTPS only, localhost excepted); false only for plain-HTTP test set-ups. */
    SESSION_COOKIE_SECURE: flag(true),
    /** Requests per minute per logged-in party (or per client IP before login); 0 turns the limit off. */
    RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(300),
    /**
     * NATS servers where logouts are shared by every instance of every hall (a JetStream KV bucket). Unset: kept
     * in this process only, which is right for a single instance and refused in production.
     */
    NATS_URL: z
      .string()
      .optional()
      .transform((text) => (text === undefined ? undefined : text.split(",").map((server) => server.trim())))
      .pipe(z.array(z.url({ protocol: /^(nats|tls|ws|wss)$/ })).optional()),
    /** The campaign service's live offer set (a KV bucket at NATS_URL) the hall watches and shows. */
    LIVE_OFFERS_BUCKET: z
      .string()
      .regex(/^[A-Za-z0-9_-]+$/)
      .default(LIVE_OFFERS_BUCKET),
    /** Copies of the KV buckets the hall creates (shared logouts): 3 on the production NATS cluster. */
    NATS_REPLICAS: natsReplicas(),
    /** Proxies whose X-Forwarded-For is trusted (fastify trustProxy: "true", an address, a CIDR list). */
    TRUST_PROXY: z.string().optional(),
    /** Deadline of each call to a domain service. */
    DOMAIN_CALL_DEADLINE_MS: z.coerce.number().int().min(50).default(3000),
  };
}

/** What `hallEnv` reads, as loaded. */
export type HallConfig = z.output<z.ZodObject<ReturnType<typeof hallEnv>>>;

/** TRUST_PROXY as fastify takes it. */
export function trustProxyOf(value: string | undefined): boolean | string | undefined {
  if (value === undefined) return undefined;
  if (value === "true") return true;
  if (value === "false") return false;
  return value;
}
