/**
 * Writes the ops console's OpenAPI document (src/generated/openapi.json) without listening or calling a service, so
 * the turbo `generate` task can turn it into the console page's typed client (openapi-typescript).
 */
import { writeOpenApiDocument } from "@omnihall/hall-kit";
import { createLogger } from "@omnihall/service-kit";
import { buildOpsConsole } from "../src/app.js";
import { closeOpsConsoleClients, createOpsConsoleClients } from "../src/clients.js";
import { loadOpsConsoleConfig } from "../src/config.js";

const config = loadOpsConsoleConfig({ NODE_ENV: "development" });
const clients = createOpsConsoleClients(config);
const app = await buildOpsConsole({
  config,
  clients,
  logger: createLogger("openapi", { level: "silent" }),
  frontEnd: false,
});
await writeOpenApiDocument(app, new URL("../src/generated/", import.meta.url), () => closeOpsConsoleClients(clients));
