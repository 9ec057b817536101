import { callOptions } from "@omnihall/hall-kit";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { offeringKindToJSON } from "@omnihall/proto/omnihall/catalog/v1/catalog";
import type { FastifyInstance } from "fastify";
import type { KioskContext } from "../kiosk-context.js";
import { deviceParty } from "../terminal.js";
import { kioskStatusSchema, offerSchema } from "./views.js";

/**
 * What the screen needs before anyone identifies: the kiosk's devices (and so which functions it may offer) and
 * the live offers of the attract screen. Open to anyone standing at the kiosk; the kiosk calls as its device.
 */
export async function kioskStatusRoutes(app: FastifyInstance, { kiosk }: { kiosk: KioskContext }) {
  const { config, clients, peripherals } = kiosk;

  app.get(
    "/v1/kiosk",
    { schema: { summary: "This kiosk and what it can do now", tags: ["kiosk"], response: { 200: kioskStatusSchema } } },
    async () => {
      const devices = peripherals.states();
      return {
        terminalId: config.KIOSK_TERMINAL_ID,
        location: config.KIOSK_LOCATION,
        idleTimeoutSeconds: config.KIOSK_IDLE_SECONDS,
        devices,
        // A function the broken device would fail is not offered at all (a top-up with a full cash box would
        // swallow notes it cannot count).
        functions: {
          cashTopUp: devices.cashAcceptor === "OK",
          receipts: devices.printer === "OK",
          idCardLogin: devices.idCardReader === "OK",
        },
      };
    },
  );

  app.get(
    "/v1/offers",
    {
      schema: {
        summary: "The live offers of this kiosk (attract screen)",
        description: "Catalog offerings on sale through kiosks in this kiosk's province.",
        tags: ["kiosk"],
        response: {
          200: { type: "object", required: ["offers"], properties: { offers: { type: "array", items: offerSchema } } },
        },
      },
    },
    async (request) => {
      const { offerings } = await clients.catalog.listOfferings(
        {
          pageSize: 6,
          pageToken: "",
          kind: 0,
          provinceCode: config.KIOSK_PROVINCE,
          channel: Channel.CHANNEL_UNSPECIFIED,
          lifecycle: 0,
          roamingCountryCode: "",
        },
        { ...callOptions(request), party: deviceParty(config) },
      );
      return {
        offers: offerings.map((o) => ({
          code: o.code,
          kind: offeringKindToJSON(o.kind).replace("OFFERING_KIND_", ""),
          name: { "zh-CN": o.name?.zhCn ?? "", en: o.name?.en ?? "" },
          description: { "zh-CN": o.description?.zhCn ?? "", en: o.description?.en ?? "" },
          priceFen: Number(o.priceFen),
        })),
      };
    },
  );
}
