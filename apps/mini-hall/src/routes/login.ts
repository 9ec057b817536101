import { randomUUID } from "node:crypto";
import {
  callOptions,
  HALL_ERRORS,
  IDEMPOTENCY_KEY,
  startSession,
  startedSessionProperties,
  type SessionTransport,
} from "@omnihall/hall-kit";
import type { FastifyInstance } from "fastify";
import type { MiniHallClients } from "../clients.js";
import { MINI_HALL } from "../hall-name.js";
import { agentSchema, agentView } from "./views.js";

interface LoginBody {
  agentId: string;
  pin: string;
  deviceId: string;
  transport?: SessionTransport;
}

/**
 * Agent login. The customer service checks the PIN, the device (a registered handheld) and the lock; the hall
 * then issues its own short-lived session whose party — agent id, device, territory — it signs into every call.
 */
export async function loginRoutes(app: FastifyInstance, { clients }: { clients: MiniHallClients }) {
  app.post<{ Body: LoginBody }>(
    "/v1/sessions",
    {
      schema: {
        summary: "Log an agent in on a handheld",
        tags: ["login"],
        headers: {
          type: "object",
          properties: {
            "idempotency-key": {
              type: "string",
              description:
                "8 to 64 letters, digits, - or _, one per login the agent makes. A retry with the same key (an answer " +
                "lost on a poor network) gets the first answer and counts no second PIN attempt. Without it, every " +
                "request is an attempt of its own.",
            },
          },
        },
        body: {
          type: "object",
          required: ["agentId", "pin", "deviceId"],
          additionalProperties: false,
          properties: {
            agentId: { type: "string", minLength: 1, maxLength: 80 },
            pin: { type: "string", minLength: 1, maxLength: 16 },
            deviceId: { type: "string", minLength: 1, maxLength: 64, description: "The handheld's terminal id" },
            transport: { type: "string", enum: ["bearer", "cookie"] },
          },
        },
        response: { 201: { type: "object", properties: { ...startedSessionProperties, agent: agentSchema } } },
      },
    },
    async (request, reply) => {
      const { agentId, pin, deviceId } = request.body;
      // Nobody is logged in yet, so the key cannot be scoped to a party: the customer service scopes it to the agent
      // and gives the first answer only to the same PIN on the same device.
      const key = request.headers["idempotency-key"];
      if (key !== undefined && (typeof key !== "string" || !IDEMPOTENCY_KEY.test(key))) {
        throw HALL_ERRORS.idempotencyKeyRequired();
      }
      const requestId = `${MINI_HALL}:login:${key ?? randomUUID()}`;
      const { agent } = await clients.agents.loginAgent({ requestId, agentId, pin, deviceId }, callOptions(request));
      const territory = agent!.territory!;
      const started = startSession(
        app,
        reply,
        {
          kind: "agent",
          agentId: agent!.agentId,
          deviceId,
          territory: {
            provinceCode: territory.provinceCode,
            ...(territory.city ? { city: territory.city } : {}),
            ...(territory.area ? { area: territory.area } : {}),
          },
        },
        request.body.transport ?? "bearer",
      );
      return reply.code(201).send({ ...started, agent: agentView(agent!) });
    },
  );
}
