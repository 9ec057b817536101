/**
 * Writes the mini hall's OpenAPI document (src/generated/openapi.json) without listening or calling a service, so
 * the turbo `generate` task can turn it into the handheld page's typed client (openapi-typescript).
 */
import { writeOpenApiDocument } from "@omnihall/hall-kit";
import { createLogger } from "@omnihall/service-kit";
import { buildMiniHall } from "../src/app.js";
import { closeMiniHallClients, createMiniHallClients } from "../src/clients.js";
import { loadMiniHallConfig } from "../src/config.js";

const config = loadMiniHallConfig({ NODE_ENV: "development" });
const clients = createMiniHallClients(config);
const app = await buildMiniHall({
  config,
  clients,
  logger: createLogger("openapi", { level: "silent" }),
  frontEnd: false,
});
await writeOpenApiDocument(app, new URL("../src/generated/", import.meta.url), () => closeMiniHallClients(clients));
