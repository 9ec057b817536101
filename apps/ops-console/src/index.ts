import { createLogger, flushLogger, type Logger } from "@omnihall/service-kit";
import { startAppTelemetry } from "@omnihall/telemetry";
import { buildOpsConsole } from "./app.js";
import { closeOpsConsoleClients, createOpsConsoleClients } from "./clients.js";
import type { OpsConsoleConfig } from "./config.js";

export { buildOpsConsole, OPS_UI_ROOT } from "./app.js";
export { closeOpsConsoleClients, createOpsConsoleClients, type OpsConsoleClients } from "./clients.js";
export { loadOpsConsoleConfig, type OpsConsoleConfig } from "./config.js";

export interface RunningOpsConsole {
  url: string;
  metricsUrl: string;
  stop(): Promise<void>;
}

/** Starts the ops console's HTTP server (pages and API) with clients for the domain services it calls. */
export async function startOpsConsole(options: {
  config: OpsConsoleConfig;
  logger?: Logger;
}): Promise<RunningOpsConsole & { logger: Logger }> {
  const logger = options.logger ?? createLogger("ops-console", { level: options.config.LOG_LEVEL });
  const clients = createOpsConsoleClients(options.config);
  const app = await buildOpsConsole({ config: options.config, clients, logger });
  await app.listen({ host: options.config.HOST, port: options.config.PORT });
  const { port } = app.server.address() as { port: number };
  const telemetry = await startAppTelemetry({
    name: "ops-console",
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
      closeOpsConsoleClients(clients);
      await telemetry.stop();
      await flushLogger(logger);
    },
  };
}
