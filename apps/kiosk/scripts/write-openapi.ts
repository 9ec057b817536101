/**
 * Writes the kiosk's OpenAPI document (src/generated/openapi.json) without listening, calling a service or
 * touching a device, so the turbo `generate` task can turn it into the screen's typed client.
 */
import { writeOpenApiDocument } from "@omnihall/hall-kit";
import { createLogger } from "@omnihall/service-kit";
import { buildKiosk } from "../src/app.js";
import { closeKioskClients, createKioskClients } from "../src/clients.js";
import { loadKioskConfig } from "../src/config.js";
import type { Peripherals } from "../src/devices/peripherals.js";

const config = loadKioskConfig({ NODE_ENV: "development" });
const clients = createKioskClients(config);
// No device board here: the document describes routes only.
const none = () => () => undefined;
const peripherals: Peripherals = {
  cash: { enable: async () => undefined, disable: async () => undefined, onNote: none },
  idCards: { onCard: none },
  printer: { print: async () => undefined },
  states: () => ({ printer: "OFFLINE", cashAcceptor: "OFFLINE", idCardReader: "OFFLINE" }),
  onStates: none,
  close: async () => undefined,
};
const app = await buildKiosk({
  config,
  clients,
  peripherals,
  logger: createLogger("openapi", { level: "silent" }),
  frontEnd: false,
});
await writeOpenApiDocument(app, new URL("../src/generated/", import.meta.url), () => closeKioskClients(clients));
