import { z } from "zod";
import { developmentCredentials } from "./load-config.js";

/** Shared schema pieces for `loadConfig`. Every default runs the whole platform on one machine. */

export const nodeEnv = z
  .enum(["development", "test", "production"], { error: "must be development, test or production" })
  .default("development");

export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export const logLevel = z.enum(LOG_LEVELS, { error: `must be one of ${LOG_LEVELS.join(", ")}` }).default("info");

/** The interface a server binds; loopback by default, set 0.0.0.0 in containers. */
export function host(defaultHost = "127.0.0.1") {
  return z.string().default(defaultHost);
}

/** A TCP port; 0 asks the OS for a free one (tests). */
export function port(defaultPort: number) {
  return anyPort().default(defaultPort);
}

function anyPort() {
  const error = "must be a whole number from 0 to 65535";
  return z.coerce
    .number({ error })
    .refine((value) => Number.isInteger(value) && value >= 0 && value <= 65535, { error });
}

export const LOCAL_DATABASE_URL = "postgresql://postgres@127.0.0.1:5432/postgres";

export function databaseUrl(defaultUrl = LOCAL_DATABASE_URL) {
  return z.url({ protocol: /^postgres(ql)?$/, error: "must be a postgresql:// URL" }).default(defaultUrl);
}

export const LOCAL_NATS_URL = "nats://127.0.0.1:4222";

/** One NATS server URL or a comma-separated list of them (a cluster's seed servers), as an array. */
export function natsUrl(defaultUrl = LOCAL_NATS_URL) {
  const natsServer = z.url({ protocol: /^(nats|tls|ws|wss)$/ });
  return z
    .string()
    .default(defaultUrl)
    .transform((text) => text.split(",").map((server) => server.trim()))
    .pipe(z.array(natsServer, { error: "must be nats:// URLs, comma-separated" }).min(1));
}

/**
 * Every app that calls a domain service authenticates as a named caller with its own key. Development keys
 * carry this marker so production can recognise and refuse them.
 */
const DEVELOPMENT_KEY_MARKER = "dev-only-key";
export const KNOWN_CALLERS = [
  "web-hall",
  "sms-hall",
  "kiosk",
  "mini-hall",
  "ops-console",
  "platform",
  "customer",
  "catalog",
  "orders",
  "billing",
  "usage",
  "notify",
  "campaigns",
] as const;

export function developmentCallerKey(callerName: string): string {
  return `${DEVELOPMENT_KEY_MARKER}-for-${callerName}`;
}

const isDevelopmentValue = (raw: string) => raw.includes(DEVELOPMENT_KEY_MARKER);
const CALLER_NAME = /^[a-z][a-z0-9-]*$/;
const MIN_KEY_LENGTH = 16;

/** Caller name → key, as a service uses to authenticate whoever calls it. */
export type CallerKeys = ReadonlyMap<string, string>;

/**
 * `OMNIHALL_CALLER_KEYS="web-hall=<key>,sms-hall=<key>"`: the callers a service accepts. The development default
 * lists every known caller with its development key.
 */
export const callerKeys = z
  .string()
  .default(KNOWN_CALLERS.map((name) => `${name}=${developmentCallerKey(name)}`).join(","))
  .transform((text, ctx): CallerKeys => {
    const keys = new Map<string, string>();
    const complain = (message: string) => ctx.issues.push({ code: "custom", message, input: text });
    for (const entry of text.split(",").map((part) => part.trim())) {
      if (entry === "") continue;
      const separator = entry.indexOf("=");
      const name = entry.slice(0, separator).trim();
      const key = entry.slice(separator + 1).trim();
      if (separator < 0 || !CALLER_NAME.test(name)) {
        complain(`entries must look like name=key with a lower-case name (got an entry starting "${name}")`);
      } else if (key.length < MIN_KEY_LENGTH) {
        complain(`the key for "${name}" is shorter than ${MIN_KEY_LENGTH} characters`);
      } else if (keys.has(name)) {
        complain(`"${name}" is listed twice`);
      } else if ([...keys.values()].includes(key)) {
        complain(`"${name}" shares its key with another caller; every caller needs its own`);
      } else {
        keys.set(name, key);
      }
    }
    if (keys.size === 0 && ctx.issues.length === 0) complain("lists no callers");
    return keys;
  })
  .register(developmentCredentials, { isDevelopmentValue });

/** `OMNIHALL_CALLER_KEY`: the key this app presents when it calls a domain service as `callerName`. */
export function callerKey(callerName: string) {
  return z
    .string()
    .min(MIN_KEY_LENGTH, { error: `must be at least ${MIN_KEY_LENGTH} characters` })
    .default(developmentCallerKey(callerName))
    .register(developmentCredentials, { isDevelopmentValue });
}

/**
 * Metrics and traces, read by every service and hall (`telemetry: config` in `startService`): the Prometheus
 * port (default: the app's port + 1000) and its interface (default: HOST), and the OTLP/HTTP collector that
 * turns tracing on.
 */
export function telemetryEnv() {
  return {
    METRICS_HOST: z.string().optional(),
    METRICS_PORT: anyPort().optional(),
    OTEL_EXPORTER_OTLP_ENDPOINT: z
      .url({ protocol: /^https?$/, error: "must be an http(s):// URL of an OTLP/HTTP collector" })
      .optional(),
  };
}

/**
 * Where a domain service is, as the channel client dials it: `host:port` (every address the name resolves to is
 * used, round robin: a headless Kubernetes Service), or a gRPC target such as `dns:///customer.omnihall.svc:50051`
 * or `ipv4:10.0.0.1:50051,10.0.0.2:50051` (several instances listed).
 */
export function serviceAddress(defaultAddress: string) {
  return z
    .string()
    .regex(/^(?:[^:\s/,]+:\d{1,5}|(?:dns|ipv4|ipv6|unix):\S+)$/, {
      error: "must be host:port or a gRPC target (dns:///host:port, ipv4:a:port,b:port)",
    })
    .default(defaultAddress);
}

/**
 * Copies of each JetStream stream and KV bucket an app creates: 1 on one server, 3 on the production cluster (one
 * node can be lost). The server refuses more than it has nodes.
 */
export function natsReplicas() {
  return z.coerce.number().int().min(1).max(5).default(1);
}

/** The variables every gRPC domain service reads; spread into the service's own schema. */
export function serviceEnv(defaultPort: number) {
  return {
    NODE_ENV: nodeEnv,
    LOG_LEVEL: logLevel,
    HOST: host(),
    PORT: port(defaultPort),
    OMNIHALL_CALLER_KEYS: callerKeys,
    NATS_REPLICAS: natsReplicas(),
    ...telemetryEnv(),
  };
}

/** The variables every app that calls domain services reads, authenticating as `callerName`. */
export function callerEnv(callerName: string) {
  return { OMNIHALL_CALLER_KEY: callerKey(callerName) };
}

/**
 * `RETENTION_<TABLE>_DAYS`: how many days a service keeps the rows of one of its growing tables (request-id
 * ledgers, processed-event records, login requests, finished messages) before its retention sweeper
 * (`@omnihall/bus` RetentionSweeper) deletes them. Whole days, 1 to 3650.
 */
export function retentionDays(defaultDays: number) {
  const error = "must be a whole number of days from 1 to 3650";
  return z.coerce
    .number({ error })
    .refine((value) => Number.isInteger(value) && value >= 1 && value <= 3650, { error })
    .default(defaultDays);
}
