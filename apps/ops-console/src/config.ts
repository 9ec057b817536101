import { loadConfig } from "@omnihall/config";
import { hallEnv } from "@omnihall/hall-kit";
import { z } from "zod";

const opsConsoleEnv = z.object({
  ...hallEnv("ops-console", 8083),
  CUSTOMER_ADDRESS: z.string().default("127.0.0.1:50051"),
  CATALOG_ADDRESS: z.string().default("127.0.0.1:50053"),
  CAMPAIGN_ADDRESS: z.string().default("127.0.0.1:50057"),
  /** An operator's token lives this long (refreshed while the console is open, within SESSION_MAX_LIFETIME_MINUTES). */
  OPERATOR_SESSION_TTL_MINUTES: z.coerce.number().int().min(1).max(720).default(30),
});

export type OpsConsoleConfig = z.output<typeof opsConsoleEnv>;

export function loadOpsConsoleConfig(env: Record<string, string | undefined> = process.env): OpsConsoleConfig {
  return loadConfig(opsConsoleEnv, env);
}
