/**
 * Writes the web hall's OpenAPI document (src/generated/openapi.json) without listening or calling a service, so
 * the turbo `generate` task can turn it into the browser's typed client (openapi-typescript).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { createLogger } from "@omnihall/service-kit";
import { buildWebHall } from "../src/app.js";
import { createWebHallClients } from "../src/clients.js";
import { loadWebHallConfig } from "../src/config.js";

const config = loadWebHallConfig({ NODE_ENV: "development" });
const clients = createWebHallClients(config);
const app = await buildWebHall({
  config,
  clients,
  logger: createLogger("openapi", { level: "silent" }),
  frontEnd: false,
});
await app.ready();
const out = new URL("../src/generated/", import.meta.url);
mkdirSync(out, { recursive: true });
writeFileSync(new URL("openapi.json", out), JSON.stringify(app.swagger(), null, 2) + "\n");
await app.close();
for (const client of Object.values(clients)) client.close();
