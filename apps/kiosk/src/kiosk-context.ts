import type { Logger } from "@omnihall/service-kit";
import type { CashSessions } from "./cash-sessions.js";
import type { KioskClients } from "./clients.js";
import type { KioskConfig } from "./config.js";
import type { Peripherals } from "./devices/peripherals.js";
import type { IdCardDesk } from "./id-card-desk.js";

/** What the kiosk's routes share: its settings, service clients and the terminal's devices. */
export interface KioskContext {
  config: KioskConfig;
  clients: KioskClients;
  peripherals: Peripherals;
  cash: CashSessions;
  idCards: IdCardDesk;
  logger: Logger;
}
