import { randomUUID } from "node:crypto";
import { callOptions, startSession, startedSessionProperties, type SessionTransport } from "@omnihall/hall-kit";
import type { FastifyInstance } from "fastify";
import type { MiniHallClients } from "../clients.js";
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
      const { agent } = await clients.agents.loginAgent(
        { requestId: randomUUID(), agentId, pin, deviceId },
        callOptions(request),
      );
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
