import type { LiveOffers } from "@omnihall/hall-kit";
import { createLogger, flushLogger, type Logger } from "@omnihall/service-kit";
import { startAppTelemetry } from "@omnihall/telemetry";
import { buildWebHall } from "./app.js";
import { closeWebHallClients, createWebHallClients } from "./clients.js";
import type { WebHallConfig } from "./config.js";

export { buildWebHall } from "./app.js";
export { closeWebHallClients, createWebHallClients, type WebHallClients } from "./clients.js";
export { loadWebHallConfig, type WebHallConfig } from "./config.js";

export interface RunningWebHall {
  url: string;
  /** Where Prometheus scrapes the hall (METRICS_PORT, default PORT + 1000). */
  metricsUrl: string;
  stop(): Promise<void>;
}

/** Starts the web hall's HTTP server with clients for the domain services it calls. */
export async function startWebHall(options: {
  config: WebHallConfig;
  logger?: Logger;
  /** The live offer set shared in this process (`npm start` without NATS). */
  liveOffers?: LiveOffers;
}): Promise<RunningWebHall & { logger: Logger }> {
  const logger = options.logger ?? createLogger("web-hall", { level: options.config.LOG_LEVEL });
  const clients = createWebHallClients(options.config);
  const app = await buildWebHall({ config: options.config, clients, logger, liveOffers: options.liveOffers });
  await app.listen({ host: options.config.HOST, port: options.config.PORT });
  const { port } = app.server.address() as { port: number };
  const telemetry = await startAppTelemetry({
    name: "web-hall",
    host: options.config.HOST,
    port: options.config.PORT,
    settings: options.config,
  });
  return {
    logger,
    url: `http://${options.config.HOST}:${port}`,
    metricsUrl: telemetry.metrics.url,
    async stop() {
      // Finish in-flight requests first, then drop the domain connections they used.
      await app.close();
      closeWebHallClients(clients);
      await telemetry.stop();
      await flushLogger(logger);
    },
  };
}
