import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadConfig } from "@omnihall/config";
import { hallEnv } from "@omnihall/hall-kit";
import { z } from "zod";

/**
 * One kiosk hall serves one terminal: it drives that terminal's devices and speaks for it (acting party
 * `device`: its terminal id, shop and province) until a subscriber identifies.
 */
const kioskEnv = z.object({
  ...hallEnv("kiosk", 8081),
  CUSTOMER_ADDRESS: z.string().default("127.0.0.1:50051"),
  BILLING_ADDRESS: z.string().default("127.0.0.1:50052"),
  CATALOG_ADDRESS: z.string().default("127.0.0.1:50053"),
  CAMPAIGN_ADDRESS: z.string().default("127.0.0.1:50057"),
  ORDERS_ADDRESS: z.string().default("127.0.0.1:50054"),
  /** This terminal's id in the registry (TerminalService). */
  KIOSK_TERMINAL_ID: z
    .string()
    .regex(/^[A-Za-z0-9_.-]{3,64}$/)
    .default("kiosk-gz-tianhe-01"),
  KIOSK_SHOP_ID: z.string().min(1).default("shop-gz-tianhe"),
  KIOSK_PROVINCE: z.string().length(2).default("GD"),
  KIOSK_CITY: z.string().min(1).default("广州"),
  KIOSK_LOCATION: z.string().max(200).default("天河城 1F 营业厅入口"),
  /** host:port of the device board (KDP/1): the simulator in development. */
  KIOSK_DEVICES_ADDRESS: z.string().default("127.0.0.1:8190"),
  /** Seconds without a touch before the screen wipes the session and returns to the attract screen. */
  KIOSK_IDLE_SECONDS: z.coerce.number().int().min(1).max(3600).default(60),
  /** Seconds between heartbeats to the registry (a device state change reports at once). */
  KIOSK_HEARTBEAT_SECONDS: z.coerce.number().int().min(1).max(600).default(30),
  /**
   * Where the open cash session is noted, so a restarted kiosk closes (credits) it at once. Local disk of the
   * terminal; one file per terminal.
   */
  KIOSK_CASH_JOURNAL: z.string().min(1).optional(),
  /** The most one cash session may take (billing still applies its own limit). */
  KIOSK_CASH_MAX_FEN: z.coerce.number().int().min(100).default(200_000),
});

export type KioskConfig = Omit<z.output<typeof kioskEnv>, "KIOSK_CASH_JOURNAL"> & { KIOSK_CASH_JOURNAL: string };

export function loadKioskConfig(env: Record<string, string | undefined> = process.env): KioskConfig {
  const config = loadConfig(kioskEnv, env);
  return {
    ...config,
    KIOSK_CASH_JOURNAL:
      config.KIOSK_CASH_JOURNAL ?? join(tmpdir(), "omnihall-kiosk", `${config.KIOSK_TERMINAL_ID}.cash.json`),
  };
}
