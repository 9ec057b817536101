import { loadConfig } from "@omnihall/config";
import { hallEnv } from "@omnihall/hall-kit";
import { z } from "zod";

const miniHallEnv = z.object({
  ...hallEnv("mini-hall", 8082),
  CUSTOMER_ADDRESS: z.string().default("127.0.0.1:50051"),
  BILLING_ADDRESS: z.string().default("127.0.0.1:50052"),
  CATALOG_ADDRESS: z.string().default("127.0.0.1:50053"),
  CAMPAIGN_ADDRESS: z.string().default("127.0.0.1:50057"),
  ORDERS_ADDRESS: z.string().default("127.0.0.1:50054"),
  /** An agent's token lives this long; the handheld logs in again after (PIN), its queue stays on the device. */
  AGENT_SESSION_TTL_MINUTES: z.coerce.number().int().min(1).max(720).default(15),
});

export type MiniHallConfig = z.output<typeof miniHallEnv>;

export function loadMiniHallConfig(env: Record<string, string | undefined> = process.env): MiniHallConfig {
  return loadConfig(miniHallEnv, env);
}
