import { z } from "zod";
import { callerEnv, developmentCredentials, host, loadConfig, logLevel, nodeEnv, port } from "@omnihall/config";

const DEVELOPMENT_SESSION_SECRET = "dev-only-key-web-hall-session-signing-secret";

const webHallEnv = z.object({
  NODE_ENV: nodeEnv,
  LOG_LEVEL: logLevel,
  HOST: host(),
  PORT: port(8080),
  ...callerEnv("web-hall"),
  CUSTOMER_ADDRESS: z.string().default("127.0.0.1:50051"),
  BILLING_ADDRESS: z.string().default("127.0.0.1:50052"),
  /** HMAC key that signs subscriber session tokens. */
  SESSION_SECRET: z
    .string()
    .min(32, { error: "must be at least 32 characters" })
    .default(DEVELOPMENT_SESSION_SECRET)
    .register(developmentCredentials, { isDevelopmentValue: (raw) => raw === DEVELOPMENT_SESSION_SECRET }),
  SESSION_TTL_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(30),
  /** Deadline of each call to a domain service. */
  DOMAIN_CALL_DEADLINE_MS: z.coerce.number().int().min(50).default(3000),
});

export type WebHallConfig = z.output<typeof webHallEnv>;

export function loadWebHallConfig(env: Record<string, string | undefined> = process.env): WebHallConfig {
  return loadConfig(webHallEnv, env);
}
