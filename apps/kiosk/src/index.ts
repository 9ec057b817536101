import type { LiveOffers } from "@omnihall/hall-kit";
import { createLogger, flushLogger, type Logger } from "@omnihall/service-kit";
import { startAppTelemetry } from "@omnihall/telemetry";
import { buildKiosk } from "./app.js";
import { closeKioskClients, createKioskClients } from "./clients.js";
import type { KioskConfig } from "./config.js";
import { connectKdpPeripherals } from "./devices/kdp-peripherals.js";
import { startTerminalReporting } from "./terminal.js";

export { buildKiosk, KIOSK_UI_ROOT } from "./app.js";
export { createKioskClients, closeKioskClients, type KioskClients } from "./clients.js";
export { loadKioskConfig, type KioskConfig } from "./config.js";
export { decodeReceiptText } from "./devices/escpos.js";

export interface RunningKiosk {
  url: string;
  metricsUrl: string;
  stop(): Promise<void>;
}

/**
 * Starts one kiosk: its device board connection (KIOSK_DEVICES_ADDRESS), its registration and heartbeats in the
 * terminal registry, and the screen's HTTP server.
 */
export async function startKiosk(options: {
  config: KioskConfig;
  logger?: Logger;
  /** The live offer set shared in this process (`npm start` without NATS). */
  liveOffers?: LiveOffers;
}): Promise<RunningKiosk & { logger: Logger }> {
  const { config } = options;
  const logger = options.logger ?? createLogger("kiosk", { level: config.LOG_LEVEL });
  const clients = createKioskClients(config);
  const peripherals = connectKdpPeripherals(config.KIOSK_DEVICES_ADDRESS, logger);
  const app = await buildKiosk({ config, clients, peripherals, logger, liveOffers: options.liveOffers });
  await app.listen({ host: config.HOST, port: config.PORT });
  // A cash session a crash left open is credited now; the registry being away must not stop the kiosk starting.
  await app.kioskCash.recover().catch((error: unknown) => logger.error({ err: error }, "open cash session not closed"));
  const reporting = startTerminalReporting({ config, clients, peripherals, logger });
  const { port } = app.server.address() as { port: number };
  const telemetry = await startAppTelemetry({ name: "kiosk", host: config.HOST, port: config.PORT, settings: config });
  return {
    logger,
    url: `http://${config.HOST}:${port}`,
    metricsUrl: telemetry.metrics.url,
    async stop() {
      reporting.stop();
      await app.close();
      await peripherals.close();
      closeKioskClients(clients);
      await telemetry.stop();
      await flushLogger(logger);
    },
  };
}
