import { serveHall, type LiveOffers, type RunningHall } from "@omnihall/hall-kit";
import { createLogger, type Logger } from "@omnihall/service-kit";
import { buildWebHall } from "./app.js";
import { closeWebHallClients, createWebHallClients } from "./clients.js";
import type { WebHallConfig } from "./config.js";

export { buildWebHall } from "./app.js";
export { closeWebHallClients, createWebHallClients, type WebHallClients } from "./clients.js";
export { loadWebHallConfig, type WebHallConfig } from "./config.js";

/** Starts the web hall's HTTP server with clients for the domain services it calls. */
export async function startWebHall(options: {
  config: WebHallConfig;
  logger?: Logger;
  /** The live offer set shared in this process (`npm start` without NATS). */
  liveOffers?: LiveOffers;
}): Promise<RunningHall> {
  const logger = options.logger ?? createLogger("web-hall", { level: options.config.LOG_LEVEL });
  const clients = createWebHallClients(options.config);
  const app = await buildWebHall({ config: options.config, clients, logger, liveOffers: options.liveOffers });
  return serveHall({
    name: "web-hall",
    app,
    config: options.config,
    logger,
    release: () => closeWebHallClients(clients),
  });
}
