import { loadConfig } from "@omnihall/config";
import { hallEnv } from "@omnihall/hall-kit";
import { z } from "zod";

const webHallEnv = z.object({
  ...hallEnv("web-hall", 8080),
  CUSTOMER_ADDRESS: z.string().default("127.0.0.1:50051"),
  BILLING_ADDRESS: z.string().default("127.0.0.1:50052"),
  CATALOG_ADDRESS: z.string().default("127.0.0.1:50053"),
  CAMPAIGN_ADDRESS: z.string().default("127.0.0.1:50057"),
  ORDERS_ADDRESS: z.string().default("127.0.0.1:50054"),
  USAGE_ADDRESS: z.string().default("127.0.0.1:50055"),
  NOTIFY_ADDRESS: z.string().default("127.0.0.1:50056"),
});

export type WebHallConfig = z.output<typeof webHallEnv>;

export function loadWebHallConfig(env: Record<string, string | undefined> = process.env): WebHallConfig {
  return loadConfig(webHallEnv, env);
}
