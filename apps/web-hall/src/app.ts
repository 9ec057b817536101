import swagger from "@fastify/swagger";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import { randomUUID } from "node:crypto";
import type { Logger } from "pino";
import type { WebHallClients } from "./clients.js";
import type { WebHallConfig } from "./config.js";
import { handleError, ROUTE_NOT_FOUND } from "./errors.js";
import { accountRoutes } from "./routes/account.js";
import { loginRoutes } from "./routes/login.js";
import { sessions } from "./session.js";

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * The web hall's JSON API: it translates HTTP into domain calls and back, and holds no business rule. The
 * OpenAPI document is served at /openapi.json.
 */
export async function buildWebHall(options: {
  config: Pick<WebHallConfig, "SESSION_SECRET" | "SESSION_TTL_MINUTES">;
  clients: WebHallClients;
  logger: Logger;
}): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: 64 * 1024,
    // A caller's X-Request-Id (when well-formed) is carried through every domain call and log line.
    requestIdHeader: "x-request-id",
    genReqId: (request) => {
      const given = request.headers["x-request-id"];
      return typeof given === "string" && REQUEST_ID.test(given) ? given : randomUUID();
    },
  });
  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });
  app.setErrorHandler(handleError);
  app.setNotFoundHandler((request, reply) => handleError(ROUTE_NOT_FOUND, request, reply));

  await app.register(swagger, {
    openapi: {
      info: {
        title: "Omnihall web hall API",
        version: "1.0.0",
        description:
          "The customer portal's JSON API. Errors are `{ error: { reason, message, messages } }`: `reason` is stable, `message` follows Accept-Language (zh-CN or en).",
      },
      components: { securitySchemes: { bearerAuth: { type: "http", scheme: "bearer" } } },
    },
  });
  await app.register(sessions, {
    secret: options.config.SESSION_SECRET,
    ttlMinutes: options.config.SESSION_TTL_MINUTES,
  });
  await app.register(loginRoutes, { clients: options.clients });
  await app.register(accountRoutes, { clients: options.clients });
  app.get("/openapi.json", { schema: { hide: true } }, async () => app.swagger());
  app.get("/healthz", { schema: { hide: true } }, async () => ({ status: "ok" }));
  return app;
}
