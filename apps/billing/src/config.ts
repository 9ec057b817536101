import { z } from "zod";
import { callerEnv, databaseUrl, loadConfig, natsUrl, serviceEnv } from "@omnihall/config";
import { DEFAULT_BASE_URL, serviceDatabaseUrl } from "@omnihall/db";

const fen = (defaultFen: number) => z.coerce.bigint().positive().default(BigInt(defaultFen));

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
});

export type BillingConfig = z.output<typeof billingEnv>;

export function loadBillingConfig(env: Record<string, string | undefined> = process.env): BillingConfig {
  return loadConfig(billingEnv, env);
}
