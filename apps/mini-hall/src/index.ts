import { serveHall, type LiveOffers, type RunningHall } from "@omnihall/hall-kit";
import { createLogger, type Logger } from "@omnihall/service-kit";
import { buildMiniHall } from "./app.js";
import { closeMiniHallClients, createMiniHallClients } from "./clients.js";
import type { MiniHallConfig } from "./config.js";

export { buildMiniHall, MINI_UI_ROOT } from "./app.js";
export { closeMiniHallClients, createMiniHallClients, type MiniHallClients } from "./clients.js";
export { loadMiniHallConfig, type MiniHallConfig } from "./config.js";

/** Starts the mini hall's HTTP server with clients for the domain services it calls. */
export async function startMiniHall(options: {
  config: MiniHallConfig;
  logger?: Logger;
  /** The live offer set shared in this process (`npm start` without NATS). */
  liveOffers?: LiveOffers;
}): Promise<RunningHall> {
  const logger = options.logger ?? createLogger("mini-hall", { level: options.config.LOG_LEVEL });
  const clients = createMiniHallClients(options.config);
  const app = await buildMiniHall({ config: options.config, clients, logger, liveOffers: options.liveOffers });
  return serveHall({
    name: "mini-hall",
    app,
    config: options.config,
    logger,
    release: () => closeMiniHallClients(clients),
  });
}
