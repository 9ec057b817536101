import { randomUUID } from "node:crypto";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import type { FastifyInstance } from "fastify";
import type { WebHallClients } from "../clients.js";
import { issueSession } from "../session.js";
import { subscriberView, subscriberSchema } from "./views.js";

const msisdnField = { type: "string", minLength: 1, maxLength: 32, description: "Mobile number, e.g. 13800138000" };

/** Login by one-time SMS code. The rules (expiry, single use, lockout) live in the customer service. */
export async function loginRoutes(app: FastifyInstance, { clients }: { clients: WebHallClients }) {
  app.post<{ Body: { msisdn: string } }>(
    "/v1/login/codes",
    {
      schema: {
        summary: "Send a one-time login code by SMS",
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
        { requestId: randomUUID(), msisdn: request.body.msisdn, channel: Channel.CHANNEL_WEB_HALL },
        { requestId: request.id },
      );
      return reply
        .code(202)
        .send({ expireTime: answer.expireTime?.toISOString(), resendTime: answer.resendTime?.toISOString() });
    },
  );

  app.post<{ Body: { msisdn: string; code: string } }>(
    "/v1/sessions",
    {
      schema: {
        summary: "Log in with the code: returns a bearer session token",
        tags: ["login"],
        body: {
          type: "object",
          required: ["msisdn", "code"],
          additionalProperties: false,
          properties: { msisdn: msisdnField, code: { type: "string", minLength: 1, maxLength: 16 } },
        },
        response: {
          201: {
            type: "object",
            properties: {
              token: { type: "string" },
              expireTime: { type: "string", format: "date-time" },
              subscriber: subscriberSchema,
            },
          },
        },
      },
    },
    async (request, reply) => {
      const { subscriber } = await clients.customer.verifyLogin(
        {
          requestId: randomUUID(),
          msisdn: request.body.msisdn,
          code: request.body.code,
          channel: Channel.CHANNEL_WEB_HALL,
        },
        { requestId: request.id },
      );
      const session = issueSession(app, { subscriberId: subscriber!.subscriberId, msisdn: subscriber!.msisdn });
      return reply.code(201).send({ ...session, subscriber: subscriberView(subscriber!) });
    },
  );
}
