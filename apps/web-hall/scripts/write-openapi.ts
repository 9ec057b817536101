/**
 * Writes the web hall's OpenAPI document (src/generated/openapi.json) without listening or calling a service, so
 * the turbo `generate` task can turn it into the browser's typed client (openapi-typescript).
 */
import { writeOpenApiDocument } from "@omnihall/hall-kit";
import { createLogger } from "@omnihall/service-kit";
import { buildWebHall } from "../src/app.js";
import { closeWebHallClients, createWebHallClients } from "../src/clients.js";
import { loadWebHallConfig } from "../src/config.js";

const config = loadWebHallConfig({ NODE_ENV: "development" });
const clients = createWebHallClients(config);
const app = await buildWebHall({
  config,
  clients,
  logger: createLogger("openapi", { level: "silent" }),
  frontEnd: false,
});
await writeOpenApiDocument(app, new URL("../src/generated/", import.meta.url), () => closeWebHallClients(clients));
