import { ConfigError } from "@omnihall/config";
import type { Logger, PartyKind } from "@omnihall/service-kit";
import type { HallConfig } from "../config.js";
import { MemorySessionRevocations, NatsSessionRevocations, type SessionRevocations } from "./revocations.js";
import { SessionTokens } from "./session-tokens.js";

/**
 * A hall's session tokens from its configuration, with the revocation list it needs: NATS when NATS_URL is
 * set (every instance sees every logout), this process's memory otherwise (one instance; refused in
 * production, where a logout must reach every instance). `close()` when the hall stops.
 */
export async function openHallSessions(
  config: Pick<
    HallConfig,
    "NODE_ENV" | "SESSION_SECRET" | "SESSION_TTL_MINUTES" | "SESSION_MAX_LIFETIME_MINUTES" | "NATS_URL"
  > &
    Partial<Pick<HallConfig, "NATS_REPLICAS">>,
  options: {
    hall: string;
    kinds: readonly PartyKind[];
    /** Token lifetime per kind, when it differs from SESSION_TTL_MINUTES. */
    ttlSeconds?: Partial<Record<PartyKind, number>>;
    logger?: Logger;
  },
): Promise<{ tokens: SessionTokens; close(): Promise<void> }> {
  const maxLifetimeSeconds = config.SESSION_MAX_LIFETIME_MINUTES * 60;
  let revocations: SessionRevocations;
  if (config.NATS_URL) {
    revocations = await NatsSessionRevocations.open({
      servers: config.NATS_URL,
      maxLifetimeSeconds,
      replicas: config.NATS_REPLICAS,
      logger: options.logger,
    });
  } else if (config.NODE_ENV === "production") {
    throw new ConfigError([
      { variable: "NATS_URL", message: "must be set in production: a logout must reach every hall instance" },
    ]);
  } else {
    revocations = new MemorySessionRevocations({ maxLifetimeSeconds });
  }
  const defaultTtl = config.SESSION_TTL_MINUTES * 60;
  const tokens = new SessionTokens({
    secret: config.SESSION_SECRET,
    issuer: options.hall,
    kinds: options.kinds,
    ttlSeconds: Object.fromEntries(options.kinds.map((kind) => [kind, options.ttlSeconds?.[kind] ?? defaultTtl])),
    maxLifetimeSeconds,
    revocations,
  });
  return { tokens, close: () => revocations.close() };
}
