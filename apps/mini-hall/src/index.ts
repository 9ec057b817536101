import type { LiveOffers } from "@omnihall/hall-kit";
import { createLogger, flushLogger, type Logger } from "@omnihall/service-kit";
import { startAppTelemetry } from "@omnihall/telemetry";
import { buildMiniHall } from "./app.js";
import { closeMiniHallClients, createMiniHallClients } from "./clients.js";
import type { MiniHallConfig } from "./config.js";

export { buildMiniHall, MINI_UI_ROOT } from "./app.js";
export { closeMiniHallClients, createMiniHallClients, type MiniHallClients } from "./clients.js";
export { loadMiniHallConfig, type MiniHallConfig } from "./config.js";

export interface RunningMiniHall {
  url: string;
  metricsUrl: string;
  stop(): Promise<void>;
}

/** Starts the mini hall's HTTP server with clients for the domain services it calls. */
export async function startMiniHall(options: {
  config: MiniHallConfig;
  logger?: Logger;
  /** The live offer set shared in this process (`npm start` without NATS). */
  liveOffers?: LiveOffers;
}): Promise<RunningMiniHall & { logger: Logger }> {
  const logger = options.logger ?? createLogger("mini-hall", { level: options.config.LOG_LEVEL });
  const clients = createMiniHallClients(options.config);
  const app = await buildMiniHall({ config: options.config, clients, logger, liveOffers: options.liveOffers });
  await app.listen({ host: options.config.HOST, port: options.config.PORT });
  const { port } = app.server.address() as { port: number };
  const telemetry = await startAppTelemetry({
    name: "mini-hall",
    host: options.config.HOST,
    port: options.config.PORT,
    settings: options.config,
  });
  return {
    logger,
    url: `http://${options.config.HOST}:${port}`,
    metricsUrl: telemetry.metrics.url,
    async stop() {
      await app.close();
      closeMiniHallClients(clients);
      await telemetry.stop();
      await flushLogger(logger);
    },
  };
}
