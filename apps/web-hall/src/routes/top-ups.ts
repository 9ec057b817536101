import {
  callOptions,
  fenAmount,
  idempotencyKeyHeader,
  idempotentRequestId,
  partyOf,
  requireSession,
  SESSION_SECURITY,
} from "@omnihall/hall-kit";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import type { FastifyInstance } from "fastify";
import type { WebHallClients } from "../clients.js";
import { WEB_HALL } from "../hall-name.js";
import { paymentMethods, paymentSchema, paymentView } from "./views.js";

/**
 * Top-ups. The amount limits and which payment methods the web hall may take are billing's rules; the hall only
 * turns the request into the call.
 */
export async function topUpRoutes(app: FastifyInstance, { clients }: { clients: WebHallClients }) {
  app.addHook("onRequest", requireSession("subscriber"));

  app.post<{ Body: { amountFen: number; paymentMethod: string }; Headers: { "idempotency-key"?: string } }>(
    "/v1/me/top-ups",
    {
      schema: {
        summary: "Top up the balance",
        description:
          "Requires an Idempotency-Key header: a retry with the same key returns the first payment and charges nothing again. Payment methods the web hall does not take are refused by billing (PAYMENT_METHOD_NOT_ALLOWED).",
        tags: ["account"],
        security: SESSION_SECURITY,
        headers: idempotencyKeyHeader,
        body: {
          type: "object",
          required: ["amountFen", "paymentMethod"],
          additionalProperties: false,
          properties: { amountFen: fenAmount(), paymentMethod: paymentMethods.schema },
        },
        response: { 201: { type: "object", properties: { payment: paymentSchema } } },
      },
    },
    async (request, reply) => {
      const { payment } = await clients.billing.topUp(
        {
          requestId: idempotentRequestId(request, WEB_HALL),
          subscriberId: partyOf(request, "subscriber").subscriberId,
          amountFen: BigInt(request.body.amountFen),
          // Services take the channel from the hall's caller identity.
          channel: Channel.CHANNEL_UNSPECIFIED,
          paymentMethod: paymentMethods.valueOf(request.body.paymentMethod),
        },
        callOptions(request),
      );
      return reply.code(201).send({ payment: paymentView(payment!) });
    },
  );
}
