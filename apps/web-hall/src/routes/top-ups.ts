import {
  callOptions,
  fenAmount,
  idempotencyKeyHeader,
  idempotentRequestId,
  partyOf,
  requireSession,
  SESSION_SECURITY,
} from "@omnihall/hall-kit";
import { PaymentPurpose } from "@omnihall/proto/omnihall/billing/v1/billing";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import type { FastifyInstance } from "fastify";
import type { WebHallClients } from "../clients.js";
import { WEB_HALL } from "../hall-name.js";
import { paymentMethods, paymentSchema, paymentView } from "./views.js";

/**
 * Top-ups are payments: the hall asks billing for one and shows its pay page; the balance moves when the gateway
 * tells billing the money arrived (GET the top-up to follow it). The amount limits and which payment methods the
 * web hall may take are billing's rules; the hall only turns the request into the call.
 */
export async function topUpRoutes(app: FastifyInstance, { clients }: { clients: WebHallClients }) {
  app.addHook("onRequest", requireSession("subscriber"));

  app.post<{
    Body: { amountFen: number; paymentMethod: string; returnUrl?: string };
    Headers: { "idempotency-key"?: string };
  }>(
    "/v1/me/top-ups",
    {
      schema: {
        summary: "Start a top-up: a payment to pay on the gateway's page (payUrl) or by QR code",
        description:
          "Requires an Idempotency-Key header: a retry with the same key returns the first payment. The balance is credited once the gateway confirms the payment; follow it with GET /v1/me/top-ups/{paymentId}. Payment methods the web hall does not take are refused by billing (PAYMENT_METHOD_NOT_ALLOWED).",
        tags: ["account"],
        security: SESSION_SECURITY,
        headers: idempotencyKeyHeader,
        body: {
          type: "object",
          required: ["amountFen", "paymentMethod"],
          additionalProperties: false,
          properties: {
            amountFen: fenAmount(),
            paymentMethod: paymentMethods.schema,
            returnUrl: { type: "string", maxLength: 500, pattern: "^https?://" },
          },
        },
        response: { 201: { type: "object", properties: { payment: paymentSchema } } },
      },
    },
    async (request, reply) => {
      const { payment } = await clients.billing.createPayment(
        {
          requestId: idempotentRequestId(request, WEB_HALL),
          subscriberId: partyOf(request, "subscriber").subscriberId,
          amountFen: BigInt(request.body.amountFen),
          purpose: PaymentPurpose.PAYMENT_PURPOSE_TOP_UP,
          orderId: "",
          paymentMethod: paymentMethods.valueOf(request.body.paymentMethod),
          // Services take the channel from the hall's caller identity.
          channel: Channel.CHANNEL_UNSPECIFIED,
          card: undefined,
          returnUrl: request.body.returnUrl ?? "",
        },
        callOptions(request),
      );
      return reply.code(201).send({ payment: paymentView(payment!) });
    },
  );

  app.get<{ Params: { paymentId: string } }>(
    "/v1/me/top-ups/:paymentId",
    {
      schema: {
        summary: "One top-up: PENDING until the gateway confirms it, then SUCCEEDED (or EXPIRED, CANCELLED)",
        tags: ["account"],
        security: SESSION_SECURITY,
        params: { type: "object", properties: { paymentId: { type: "string", maxLength: 64 } } },
        response: { 200: { type: "object", properties: { payment: paymentSchema } } },
      },
    },
    async (request) => {
      const { payment } = await clients.billing.getPayment(
        { subscriberId: partyOf(request, "subscriber").subscriberId, paymentId: request.params.paymentId },
        callOptions(request),
      );
      return { payment: paymentView(payment!) };
    },
  );

  app.post<{
    Params: { orderId: string };
    Body: { paymentMethod: string; returnUrl?: string };
  }>(
    "/v1/me/orders/:orderId/payments",
    {
      schema: {
        summary: "Pay for an order waiting for money (HELD, AWAITING_PAYMENT) on the gateway's page",
        description:
          "Requires an Idempotency-Key header. The payment is for the order's own price; once billing has the gateway's confirmation, the order engine charges and goes on. Follow the order with GET /v1/me/orders/{orderId}.",
        tags: ["shop"],
        security: SESSION_SECURITY,
        headers: idempotencyKeyHeader,
        params: {
          type: "object",
          required: ["orderId"],
          properties: { orderId: { type: "string", maxLength: 64 } },
        },
        body: {
          type: "object",
          required: ["paymentMethod"],
          additionalProperties: false,
          properties: {
            paymentMethod: paymentMethods.schema,
            returnUrl: { type: "string", maxLength: 500, pattern: "^https?://" },
          },
        },
        response: { 201: { type: "object", properties: { payment: paymentSchema } } },
      },
    },
    async (request, reply) => {
      const subscriberId = partyOf(request, "subscriber").subscriberId;
      // The order engine's record of the price; another subscriber's order is simply not found.
      const { order } = await clients.orders.getOrder(
        { subscriberId, orderId: request.params.orderId },
        callOptions(request),
      );
      const { payment } = await clients.billing.createPayment(
        {
          requestId: idempotentRequestId(request, WEB_HALL),
          subscriberId,
          amountFen: order!.priceFen,
          purpose: PaymentPurpose.PAYMENT_PURPOSE_ORDER,
          orderId: order!.orderId,
          paymentMethod: paymentMethods.valueOf(request.body.paymentMethod),
          channel: Channel.CHANNEL_UNSPECIFIED,
          card: undefined,
          returnUrl: request.body.returnUrl ?? "",
        },
        callOptions(request),
      );
      return reply.code(201).send({ payment: paymentView(payment!) });
    },
  );
}
