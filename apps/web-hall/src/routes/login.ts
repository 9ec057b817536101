import { randomUUID } from "node:crypto";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { callOptions, startSession, startedSessionProperties, type SessionTransport } from "@omnihall/hall-kit";
import type { FastifyInstance } from "fastify";
import type { WebHallClients } from "../clients.js";
import { subscriberSchema, subscriberView } from "./views.js";

/** The hall names no channel: services take it from the hall's caller identity (web hall → CHANNEL_WEB_HALL). */
const FROM_CALLER = Channel.CHANNEL_UNSPECIFIED;
const msisdnField = { type: "string", minLength: 1, maxLength: 32, description: "Mobile number, e.g. 13800138000" };

/** Login by one-time SMS code. The rules (expiry, single use, lockout, who may log in) live in the customer service. */
export async function loginRoutes(app: FastifyInstance, { clients }: { clients: WebHallClients }) {
  app.post<{ Body: { msisdn: string } }>(
    "/v1/login/codes",
    {
      schema: {
        summary: "Send a one-time login code by SMS",
        description: "Answers alike for every well-formed number, so nobody can find out who is a subscriber.",
        tags: ["login"],
        body: {
          type: "object",
          required: ["msisdn"],
          additionalProperties: false,
          properties: { msisdn: msisdnField },
        },
        response: {
          202: {
            type: "object",
            properties: {
              expireTime: { type: "string", format: "date-time" },
              resendTime: { type: "string", format: "date-time" },
            },
          },
        },
      },
    },
    async (request, reply) => {
      const answer = await clients.customer.startLogin(
        { requestId: randomUUID(), msisdn: request.body.msisdn, channel: FROM_CALLER },
        callOptions(request),
      );
      return reply
        .code(202)
        .send({ expireTime: answer.expireTime?.toISOString(), resendTime: answer.resendTime?.toISOString() });
    },
  );

  app.post<{ Body: { msisdn: string; code: string; transport?: SessionTransport } }>(
    "/v1/sessions",
    {
      schema: {
        summary: "Log in with the code",
        description:
          "`transport: bearer` (default) answers a token for the Authorization header; `transport: cookie` (browsers) sets an HttpOnly session cookie and answers the CSRF token to send as X-CSRF-Token on every change.",
        tags: ["login"],
        body: {
          type: "object",
          required: ["msisdn", "code"],
          additionalProperties: false,
          properties: {
            msisdn: msisdnField,
            code: { type: "string", minLength: 1, maxLength: 16 },
            transport: { type: "string", enum: ["bearer", "cookie"] },
          },
        },
        response: {
          201: { type: "object", properties: { ...startedSessionProperties, subscriber: subscriberSchema } },
        },
      },
    },
    async (request, reply) => {
      const { subscriber } = await clients.customer.verifyLogin(
        { requestId: randomUUID(), msisdn: request.body.msisdn, code: request.body.code, channel: FROM_CALLER },
        callOptions(request),
      );
      const started = startSession(
        app,
        reply,
        { kind: "subscriber", subscriberId: subscriber!.subscriberId, msisdn: subscriber!.msisdn },
        request.body.transport ?? "bearer",
      );
      return reply.code(201).send({ ...started, subscriber: subscriberView(subscriber!) });
    },
  );
}
