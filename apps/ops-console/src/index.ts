import { serveHall, type RunningHall } from "@omnihall/hall-kit";
import { createLogger, type Logger } from "@omnihall/service-kit";
import { buildOpsConsole } from "./app.js";
import { closeOpsConsoleClients, createOpsConsoleClients } from "./clients.js";
import type { OpsConsoleConfig } from "./config.js";

export { buildOpsConsole, OPS_UI_ROOT } from "./app.js";
export { closeOpsConsoleClients, createOpsConsoleClients, type OpsConsoleClients } from "./clients.js";
export { loadOpsConsoleConfig, type OpsConsoleConfig } from "./config.js";

/** Starts the ops console's HTTP server (pages and API) with clients for the domain services it calls. */
export async function startOpsConsole(options: { config: OpsConsoleConfig; logger?: Logger }): Promise<RunningHall> {
  const logger = options.logger ?? createLogger("ops-console", { level: options.config.LOG_LEVEL });
  const clients = createOpsConsoleClients(options.config);
  const app = await buildOpsConsole({ config: options.config, clients, logger });
  return serveHall({
    name: "ops-console",
    app,
    config: options.config,
    logger,
    release: () => closeOpsConsoleClients(clients),
  });
}
