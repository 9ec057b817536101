import {
  callOptions,
  idempotencyKeyHeader,
  idempotentRequestId,
  partyOf,
  requireSession,
  SESSION_SECURITY,
} from "@omnihall/hall-kit";
import { billStatusToJSON } from "@omnihall/proto/omnihall/billing/v1/billing";
import type { FastifyInstance } from "fastify";
import { HallError } from "@omnihall/hall-kit";
import { DeviceError } from "../devices/peripherals.js";
import type { KioskContext } from "../kiosk-context.js";
import { KIOSK } from "../hall-name.js";
import { cashSessionSchema, closedCashSessionSchema, maskMsisdn, meSchema } from "./views.js";

const NO_CASH_SESSION = new HallError(404, "CASH_SESSION_NOT_OPEN", {
  "zh-CN": "当前没有进行中的现金缴费。",
  en: "No cash top-up is in progress.",
});

function deviceUnavailable(error: DeviceError) {
  return new HallError(
    503,
    "DEVICE_UNAVAILABLE",
    {
      "zh-CN": "设备暂时无法使用，请稍后再试或联系营业员。",
      en: "The device cannot be used right now; try later or ask the shop staff.",
    },
    { device: error.device, state: error.reason },
  );
}

/** The identified subscriber's business at the kiosk: who, balance, bills, and a cash top-up. */
export async function accountRoutes(app: FastifyInstance, { kiosk }: { kiosk: KioskContext }) {
  const { clients, cash } = kiosk;
  app.addHook("onRequest", requireSession("subscriber"));
  const security = SESSION_SECURITY;

  app.get(
    "/v1/me",
    { schema: { summary: "Who is identified", tags: ["account"], security, response: { 200: meSchema } } },
    async (request) => {
      const party = partyOf(request, "subscriber");
      return { subscriberId: party.subscriberId, maskedMsisdn: maskMsisdn(party.msisdn) };
    },
  );

  app.get(
    "/v1/me/balance",
    {
      schema: {
        summary: "Balance",
        tags: ["account"],
        security,
        response: {
          200: { type: "object", required: ["balanceFen"], properties: { balanceFen: { type: "integer" } } },
        },
      },
    },
    async (request) => {
      const balance = await clients.billing.getBalance({ subscriberId: "" }, callOptions(request));
      return { balanceFen: Number(balance.balanceFen) };
    },
  );

  app.get(
    "/v1/me/bills",
    {
      schema: {
        summary: "Bills by month, newest first",
        tags: ["account"],
        security,
        response: {
          200: {
            type: "object",
            required: ["bills"],
            properties: {
              bills: {
                type: "array",
                items: {
                  type: "object",
                  required: ["billId", "month", "totalFen", "status"],
                  properties: {
                    billId: { type: "string" },
                    month: { type: "string" },
                    totalFen: { type: "integer" },
                    status: { type: "string" },
                  },
                },
              },
            },
          },
        },
      },
    },
    async (request) => {
      const { bills } = await clients.billing.listBills(
        { subscriberId: "", pageSize: 6, pageToken: "" },
        callOptions(request),
      );
      return {
        bills: bills.map((b) => ({
          billId: b.billId,
          month: b.billingMonth,
          totalFen: Number(b.totalFen),
          status: billStatusToJSON(b.status).replace("BILL_STATUS_", ""),
        })),
      };
    },
  );

  app.post(
    "/v1/me/cash-session",
    {
      schema: {
        summary: "Start a cash top-up: the note acceptor takes notes until the session is closed",
        tags: ["cash"],
        security,
        headers: idempotencyKeyHeader,
        response: { 201: cashSessionSchema },
      },
    },
    async (request, reply) => {
      try {
        const session = await cash.open(partyOf(request, "subscriber"), idempotentRequestId(request, KIOSK));
        return reply.code(201).send(session);
      } catch (error) {
        throw error instanceof DeviceError ? deviceUnavailable(error) : error;
      }
    },
  );

  app.get(
    "/v1/me/cash-session",
    {
      schema: {
        summary: "The cash top-up in progress: counted so far",
        tags: ["cash"],
        security,
        response: { 200: cashSessionSchema },
      },
    },
    async (request) => cash.current(partyOf(request, "subscriber")) ?? Promise.reject(NO_CASH_SESSION),
  );

  app.post(
    "/v1/me/cash-session/close",
    {
      schema: {
        summary: "Finish the cash top-up: credit what was counted (once) and print the receipt",
        tags: ["cash"],
        security,
        response: { 200: closedCashSessionSchema },
      },
    },
    async (request) => (await cash.close(partyOf(request, "subscriber"))) ?? Promise.reject(NO_CASH_SESSION),
  );
}
