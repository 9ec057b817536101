import {
  callOptions,
  idempotencyKeyHeader,
  idempotentRequestId,
  requireSession,
  SESSION_SECURITY,
} from "@omnihall/hall-kit";
import { OfferingKind, offeringKindFromJSON } from "@omnihall/proto/omnihall/catalog/v1/catalog";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { orderStateToJSON, type Order } from "@omnihall/proto/omnihall/orders/v1/orders";
import type { FastifyInstance } from "fastify";
import { KIOSK } from "../hall-name.js";
import type { KioskContext } from "../kiosk-context.js";
import { localizedTextSchema, offerSchema } from "./views.js";

/** The offerings a subscriber can order at the kiosk: data and roaming packs, and call forwarding. */
const KIOSK_KINDS = ["DATA_PACK", "ROAMING_PACK", "VALUE_ADDED"] as const;

const orderSchema = {
  type: "object",
  required: ["orderId", "offeringCode", "name", "priceFen", "state"],
  properties: {
    orderId: { type: "string" },
    offeringCode: { type: "string" },
    name: localizedTextSchema,
    priceFen: { type: "integer" },
    state: { type: "string" },
    failureReason: { type: "string" },
  },
} as const;

function orderView(order: Order) {
  return {
    orderId: order.orderId,
    offeringCode: order.offeringCode,
    name: { "zh-CN": order.offeringName?.zhCn ?? "", en: order.offeringName?.en ?? "" },
    priceFen: Number(order.priceFen),
    state: orderStateToJSON(order.state).replace("ORDER_STATE_", ""),
    failureReason: order.failureReason,
  };
}

/**
 * Buying at the kiosk: the order is created first (orders checks the catalog, the subscriber's province and
 * eligibility, and answers the price), the screen shows it, and only the subscriber's confirm tap on this
 * identified session (CONFIRMATION_METHOD_SESSION for kiosks) lets the order charge anything.
 */
export async function orderRoutes(app: FastifyInstance, { kiosk }: { kiosk: KioskContext }) {
  const { clients } = kiosk;
  app.addHook("onRequest", requireSession("subscriber"));
  const security = SESSION_SECURITY;

  app.get<{ Querystring: { kind: (typeof KIOSK_KINDS)[number] } }>(
    "/v1/me/offerings",
    {
      schema: {
        summary: "What this subscriber may order here, by kind",
        tags: ["orders"],
        security,
        querystring: {
          type: "object",
          required: ["kind"],
          properties: { kind: { type: "string", enum: [...KIOSK_KINDS] } },
        },
        response: {
          200: { type: "object", required: ["offers"], properties: { offers: { type: "array", items: offerSchema } } },
        },
      },
    },
    async (request) => {
      const { subscriber } = await clients.customer.getSubscriber({}, callOptions(request));
      const { offerings } = await clients.catalog.listOfferings(
        {
          pageSize: 20,
          pageToken: "",
          kind: offeringKindFromJSON(`OFFERING_KIND_${request.query.kind}`) as OfferingKind,
          provinceCode: subscriber!.provinceCode,
          channel: Channel.CHANNEL_UNSPECIFIED,
          lifecycle: 0,
          roamingCountryCode: "",
        },
        callOptions(request),
      );
      return {
        offers: offerings.map((o) => ({
          code: o.code,
          kind: request.query.kind,
          name: { "zh-CN": o.name?.zhCn ?? "", en: o.name?.en ?? "" },
          description: { "zh-CN": o.description?.zhCn ?? "", en: o.description?.en ?? "" },
          priceFen: Number(o.priceFen),
        })),
      };
    },
  );

  app.post<{ Body: { offeringCode: string; characteristics?: Record<string, string> } }>(
    "/v1/me/orders",
    {
      schema: {
        summary: "Order an offering: the order waits for the subscriber's confirmation",
        tags: ["orders"],
        security,
        headers: idempotencyKeyHeader,
        body: {
          type: "object",
          required: ["offeringCode"],
          additionalProperties: false,
          properties: {
            offeringCode: { type: "string", minLength: 1, maxLength: 64 },
            characteristics: {
              type: "object",
              maxProperties: 8,
              additionalProperties: { type: "string", maxLength: 64 },
            },
          },
        },
        response: { 201: orderSchema },
      },
    },
    async (request, reply) => {
      const { order } = await clients.orders.createOrder(
        {
          requestId: idempotentRequestId(request, KIOSK),
          subscriberId: "",
          offeringCode: request.body.offeringCode,
          channel: Channel.CHANNEL_UNSPECIFIED,
          agentId: "",
          campaignId: "",
          number: "",
          characteristics: request.body.characteristics ?? {},
          installation: undefined,
        },
        callOptions(request),
      );
      return reply.code(201).send(orderView(order!));
    },
  );

  app.post<{ Params: { orderId: string } }>(
    "/v1/me/orders/:orderId/confirm",
    {
      schema: {
        summary: "Confirm the order (the subscriber tapped Confirm after seeing the price)",
        tags: ["orders"],
        security,
        headers: idempotencyKeyHeader,
        params: {
          type: "object",
          required: ["orderId"],
          properties: { orderId: { type: "string", minLength: 1, maxLength: 64 } },
        },
        response: { 200: orderSchema },
      },
    },
    async (request) => {
      const { order } = await clients.orders.confirmOrder(
        {
          requestId: idempotentRequestId(request, KIOSK),
          subscriberId: "",
          orderId: request.params.orderId,
          confirmationCode: "",
        },
        callOptions(request),
      );
      return orderView(order!);
    },
  );
}
