import { randomUUID } from "node:crypto";
import {
  callOptions,
  partyOf,
  requireSession,
  SESSION_SECURITY,
  startSession,
  startedSessionProperties,
  type SessionTransport,
} from "@omnihall/hall-kit";
import type { Operator } from "@omnihall/proto/omnihall/customer/v1/operator";
import { OPERATOR_ROLES, type OperatorRole } from "@omnihall/service-kit";
import type { FastifyInstance } from "fastify";
import type { OpsConsoleClients } from "../clients.js";

interface LoginBody {
  operatorId: string;
  password: string;
  transport?: SessionTransport;
}

export const operatorSchema = {
  type: "object",
  required: ["operatorId", "name", "roles", "provinceScope"],
  properties: {
    operatorId: { type: "string" },
    name: { type: "string" },
    roles: { type: "array", items: { type: "string", enum: [...OPERATOR_ROLES] } },
    provinceScope: { type: "string", description: '"*" for group HQ, else a province code' },
  },
} as const;

function operatorView(operator: Operator) {
  return {
    operatorId: operator.operatorId,
    name: operator.name,
    roles: knownRoles(operator.roles),
    provinceScope: operator.provinceScope,
  };
}

/** The roles this build signs (a role the kit does not know yet is left out rather than signed). */
function knownRoles(roles: string[]): OperatorRole[] {
  return roles.filter((role): role is OperatorRole => (OPERATOR_ROLES as readonly string[]).includes(role));
}

/**
 * Operator login. The customer service checks the password and the lock and answers the roles and province scope;
 * the console then issues its own session and signs that operator into every call.
 */
export async function loginRoutes(app: FastifyInstance, { clients }: { clients: OpsConsoleClients }) {
  app.post<{ Body: LoginBody }>(
    "/v1/sessions",
    {
      schema: {
        summary: "Log an operator in",
        tags: ["login"],
        body: {
          type: "object",
          required: ["operatorId", "password"],
          additionalProperties: false,
          properties: {
            operatorId: { type: "string", minLength: 1, maxLength: 80 },
            password: { type: "string", minLength: 1, maxLength: 128 },
            transport: { type: "string", enum: ["bearer", "cookie"] },
          },
        },
        response: { 201: { type: "object", properties: { ...startedSessionProperties, operator: operatorSchema } } },
      },
    },
    async (request, reply) => {
      const { operatorId, password } = request.body;
      const { operator } = await clients.operators.loginOperator(
        { requestId: randomUUID(), operatorId, password },
        callOptions(request),
      );
      const view = operatorView(operator!);
      const started = startSession(
        app,
        reply,
        { kind: "operator", operatorId: view.operatorId, roles: view.roles, provinceScope: view.provinceScope },
        request.body.transport ?? "bearer",
      );
      return reply.code(201).send({ ...started, operator: view });
    },
  );

  app.get(
    "/v1/me",
    {
      onRequest: requireSession("operator"),
      schema: {
        summary: "The operator logged in: name, roles, province scope",
        tags: ["login"],
        security: SESSION_SECURITY,
        response: { 200: operatorSchema },
      },
    },
    async (request) => {
      const { operatorId } = partyOf(request, "operator");
      const { operator } = await clients.operators.getOperator({ operatorId }, callOptions(request));
      return operatorView(operator!);
    },
  );
}
