import {
  callOptions,
  enumView,
  fenOf,
  idempotencyKeyHeader,
  idempotentRequestId,
  requireSession,
  SESSION_SECURITY,
  timeOf,
} from "@omnihall/hall-kit";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { ConfirmationMethod, OrderState, type Order } from "@omnihall/proto/omnihall/orders/v1/orders";
import type { FastifyInstance } from "fastify";
import type { MiniHallClients } from "../clients.js";
import { MINI_HALL } from "../hall-name.js";

const orderStates = enumView(OrderState, "ORDER_STATE_");
const confirmationMethods = enumView(ConfirmationMethod, "CONFIRMATION_METHOD_");

const orderSchema = {
  type: "object",
  properties: {
    orderId: { type: "string" },
    subscriberId: { type: "string" },
    offeringCode: { type: "string" },
    offeringNameZh: { type: "string" },
    offeringNameEn: { type: "string" },
    priceFen: { type: "integer" },
    state: { type: "string", enum: [...orderStates.names] },
    confirmationMethod: { type: "string" },
    confirmExpireTime: { type: "string", format: "date-time" },
    failureReason: { type: "string" },
  },
} as const;

function orderView(order: Order) {
  return {
    orderId: order.orderId,
    subscriberId: order.subscriberId,
    offeringCode: order.offeringCode,
    offeringNameZh: order.offeringName?.zhCn ?? "",
    offeringNameEn: order.offeringName?.en ?? "",
    priceFen: fenOf(order.priceFen),
    state: orderStates.nameOf(order.state),
    confirmationMethod: confirmationMethods.nameOf(order.confirmationMethod),
    confirmExpireTime: timeOf(order.confirmExpireTime),
    failureReason: order.failureReason,
  };
}

interface OrderBody {
  subscriberId: string;
  offeringCode: string;
  campaignId?: string;
  installation?: { address: string; appointmentTime: string };
}

/**
 * Packs and broadband for the subscriber in front of the agent, through the order engine as every hall: the
 * engine sends the subscriber a one-time code (the mini hall's confirmation method) and the agent types in the
 * code the subscriber reads out. Nothing is charged before that; these run online (a code needs the network).
 */
export async function orderRoutes(app: FastifyInstance, { clients }: { clients: MiniHallClients }) {
  app.addHook("onRequest", requireSession("agent"));
  const security = SESSION_SECURITY;

  app.post<{ Body: OrderBody }>(
    "/v1/orders",
    {
      schema: {
        summary: "Order a pack or broadband for a subscriber (a code goes to their phone)",
        tags: ["orders"],
        security,
        headers: idempotencyKeyHeader,
        body: {
          type: "object",
          required: ["subscriberId", "offeringCode"],
          additionalProperties: false,
          properties: {
            subscriberId: { type: "string", maxLength: 80 },
            offeringCode: { type: "string", maxLength: 64 },
            campaignId: {
              type: "string",
              minLength: 1,
              maxLength: 64,
              description: "The live campaign pitched (GET /v1/live-offers), so the sale is attributed to it",
            },
            installation: {
              type: "object",
              required: ["address", "appointmentTime"],
              additionalProperties: false,
              properties: {
                address: { type: "string", maxLength: 200 },
                appointmentTime: { type: "string", format: "date-time" },
              },
            },
          },
        },
        response: { 201: { type: "object", properties: { order: orderSchema } } },
      },
    },
    async (request, reply) => {
      const { subscriberId, offeringCode, campaignId, installation } = request.body;
      const { order } = await clients.orders.createOrder(
        {
          requestId: idempotentRequestId(request, MINI_HALL),
          subscriberId,
          offeringCode,
          channel: Channel.CHANNEL_UNSPECIFIED,
          // The order engine credits the acting agent, whatever a hall would say here.
          agentId: "",
          campaignId: campaignId ?? "",
          number: "",
          characteristics: {},
          installation: installation
            ? {
                address: installation.address,
                appointmentTime: new Date(installation.appointmentTime),
                contactMsisdn: "",
              }
            : undefined,
        },
        callOptions(request),
      );
      return reply.code(201).send({ order: orderView(order!) });
    },
  );

  app.post<{ Params: { orderId: string }; Body: { subscriberId: string; code: string } }>(
    "/v1/orders/:orderId/confirmation",
    {
      schema: {
        summary: "Confirm an order with the code the subscriber received",
        tags: ["orders"],
        security,
        headers: idempotencyKeyHeader,
        params: { type: "object", properties: { orderId: { type: "string", maxLength: 80 } } },
        body: {
          type: "object",
          required: ["subscriberId", "code"],
          additionalProperties: false,
          properties: { subscriberId: { type: "string", maxLength: 80 }, code: { type: "string", maxLength: 16 } },
        },
        response: { 200: { type: "object", properties: { order: orderSchema } } },
      },
    },
    async (request) => {
      const { order } = await clients.orders.confirmOrder(
        {
          requestId: idempotentRequestId(request, MINI_HALL),
          subscriberId: request.body.subscriberId,
          orderId: request.params.orderId,
          confirmationCode: request.body.code,
        },
        callOptions(request),
      );
      return { order: orderView(order!) };
    },
  );
}
