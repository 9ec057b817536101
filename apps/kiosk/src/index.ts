import { serveHall, type LiveOffers, type RunningHall } from "@omnihall/hall-kit";
import { createLogger, type Logger } from "@omnihall/service-kit";
import { buildKiosk } from "./app.js";
import { closeKioskClients, createKioskClients } from "./clients.js";
import type { KioskConfig } from "./config.js";
import { connectKdpPeripherals } from "./devices/kdp-peripherals.js";
import { startTerminalReporting } from "./terminal.js";

export { buildKiosk, KIOSK_UI_ROOT } from "./app.js";
export { createKioskClients, closeKioskClients, type KioskClients } from "./clients.js";
export { loadKioskConfig, type KioskConfig } from "./config.js";
export { decodeReceiptText } from "./devices/escpos.js";

/**
 * Starts one kiosk: its device board connection (KIOSK_DEVICES_ADDRESS), its registration and heartbeats in the
 * terminal registry, and the screen's HTTP server.
 */
export async function startKiosk(options: {
  config: KioskConfig;
  logger?: Logger;
  /** The live offer set shared in this process (`npm start` without NATS). */
  liveOffers?: LiveOffers;
}): Promise<RunningHall> {
  const { config } = options;
  const logger = options.logger ?? createLogger("kiosk", { level: config.LOG_LEVEL });
  const clients = createKioskClients(config);
  const peripherals = connectKdpPeripherals(config.KIOSK_DEVICES_ADDRESS, logger);
  const app = await buildKiosk({ config, clients, peripherals, logger, liveOffers: options.liveOffers });
  const running = await serveHall({
    name: "kiosk",
    app,
    config,
    logger,
    async release() {
      reporting.stop();
      await peripherals.close();
      closeKioskClients(clients);
    },
  });
  // A cash session a crash left open is credited now; the registry being away must not stop the kiosk starting.
  await app.kioskCash.recover().catch((error: unknown) => logger.error({ err: error }, "open cash session not closed"));
  const reporting = startTerminalReporting({ config, clients, peripherals, logger });
  return running;
}
