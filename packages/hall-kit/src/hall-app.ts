import rateLimit from "@fastify/rate-limit";
import swagger from "@fastify/swagger";
import type { Logger } from "@omnihall/service-kit";
import { fastifyTelemetry, quietRequestLogging } from "@omnihall/telemetry";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import { errorBodySchema, handleClientError, handleError, sendError } from "./errors/envelope.js";
import { HALL_ERRORS } from "./errors/hall-error.js";
import { DEFAULT_API_PREFIXES, sendIndex, serveFrontEnd, wantsPage, type FrontEndOptions } from "./front-end.js";
import { validatorCompiler } from "./requests/body-rules.js";
import { trackReply } from "./requests/call-options.js";
import { requestIdOf } from "./requests/request-id.js";
import { securityHeaders, securityHeadersHook } from "./security-headers.js";
import type { SessionTokens } from "./sessions/session-tokens.js";
import { sessionsPlugin, type SessionCookieOptions } from "./sessions/sessions-plugin.js";

export interface HallAppOptions {
  /** The hall's caller name, e.g. "web-hall": its services' caller, its sessions' issuer, its request ids' scope. */
  name: string;
  logger: Logger;
  sessions: { tokens: SessionTokens; cookies?: SessionCookieOptions };
  openapi: { title: string; version: string; description?: string };
  /**
   * Requests per minute per acting party (per client IP before login); false turns limits off. Kept in each
   * instance's memory: with N instances behind a balancer a client gets up to N times this.
   */
  rateLimit?: { max: number; timeWindowMs?: number } | false;
  /** Largest request body; default 64 KB (halls take small JSON documents). */
  bodyLimit?: number;
  /** A built front-end to serve, with index.html for client-side routes. */
  frontEnd?: FrontEndOptions;
  /** Trust X-Forwarded-For from these proxies (fastify `trustProxy`), so rate limits see the client's address. */
  trustProxy?: boolean | string | string[];
}

/**
 * The base fastify app of every hall: everything a channel app needs around its routes, once. The hall then
 * registers only its own routes and views on it. What every request gets, in order:
 *
 * 1. a request id: the caller's `x-request-id` if well-formed, else a fresh one (never the malformed one);
 * 2. telemetry (metrics, traces) — see the marked place below;
 * 3. security headers (helmet's, computed once);
 * 4. its session (bearer header or cookie + CSRF token), verified once;
 * 5. a rate limit per acting party (per IP before login);
 * 6. JSON bodies only, validated without coercion and without dropping unknown properties;
 * 7. every error — the hall's, a service's, fastify's, even Node's HTTP parser's — as the error envelope.
 */
export async function buildHallApp(options: HallAppOptions): Promise<FastifyInstance> {
  const app: FastifyInstance = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    bodyLimit: options.bodyLimit ?? 64 * 1024,
    // Off on purpose: fastify would take the header unchecked. genReqId checks it.
    requestIdHeader: false,
    genReqId: requestIdOf,
    // One access line per request, written by the telemetry plugin, instead of fastify's two.
    logController: quietRequestLogging({ requestIdLogLabel: "requestId" }),
    trustProxy: options.trustProxy ?? false,
    // Errors before routing (bad URL encoding such as %ZZ, oversized path parameters).
    frameworkErrors: (error, request, reply) => {
      sendError(
        error.code === "FST_ERR_BAD_URL" || error.code === "FST_ERR_MAX_PARAM_LENGTH"
          ? HALL_ERRORS.urlMalformed()
          : HALL_ERRORS.requestMalformed(),
        request,
        reply,
      );
    },
    // Errors of Node's HTTP parser (431 huge headers, malformed requests), before fastify has a request.
    clientErrorHandler: handleClientError,
  });
  app.setValidatorCompiler(validatorCompiler);
  // JSON only: without this, text/plain bodies reach validation as strings (400 instead of 415).
  app.removeContentTypeParser("text/plain");
  app.setErrorHandler(handleError);
  const apiPrefixes = options.frontEnd?.apiPrefixes ?? DEFAULT_API_PREFIXES;
  app.setNotFoundHandler((request, reply) =>
    options.frontEnd && wantsPage(request, apiPrefixes)
      ? sendIndex(reply)
      : sendError(HALL_ERRORS.routeNotFound(), request, reply),
  );
  app.addHook("onRequest", trackReply);
  app.addHook("onSend", async (request, reply) => {
    reply.header("x-request-id", request.id);
  });

  // Telemetry first, so every route is measured and runs inside its request's span (RED per route, traceparent).
  await app.register(fastifyTelemetry);

  app.addHook(
    "onRequest",
    securityHeadersHook(
      securityHeaders({
        // The API serves JSON; a served front-end is built by Vite into files with no inline scripts.
        contentSecurityPolicy: { directives: { "script-src": ["'self'"], "object-src": ["'none'"] } },
      }),
    ),
  );
  await app.register(sessionsPlugin, options.sessions);
  if (options.rateLimit !== false) {
    const limit = options.rateLimit ?? { max: 300 };
    await app.register(rateLimit, {
      global: true,
      max: limit.max,
      timeWindow: limit.timeWindowMs ?? 60_000,
      // After the sessions hook: a logged-in party is limited as itself wherever it connects from.
      keyGenerator: (request) => {
        const party = request.session?.party;
        if (!party) return `ip:${request.ip}`;
        switch (party.kind) {
          case "subscriber":
            return `subscriber:${party.subscriberId}`;
          case "agent":
            return `agent:${party.agentId}`;
          case "operator":
            return `operator:${party.operatorId}`;
          case "device":
            return `device:${party.deviceId}`;
        }
      },
      errorResponseBuilder: (_request, context) => HALL_ERRORS.rateLimited(Math.ceil(context.ttl / 1000)),
    });
  }

  // Every documented route describes its error answers: the one envelope for all of them.
  app.addHook("onRoute", (route) => {
    const schema = route.schema as { hide?: boolean; response?: Record<string, unknown> } | undefined;
    if (!schema || schema.hide) return;
    schema.response = {
      ...schema.response,
      "4xx": { ...errorBodySchema, description: "Refused: see `reason` (400, 401, 403, 404, 409, 413, 415, 422, 429)" },
      "5xx": { ...errorBodySchema, description: "A service failed or is unavailable (502, 503, 504)" },
    };
  });
  await app.register(swagger, {
    openapi: {
      info: {
        title: options.openapi.title,
        version: options.openapi.version,
        description:
          (options.openapi.description ? `${options.openapi.description}\n\n` : "") +
          "Errors are `{ error: { reason, message, messages } }` (schema `ErrorBody`): `reason` is stable, `message` follows Accept-Language (zh-CN or en). Sessions: `Authorization: Bearer <token>`, or the session cookie plus `X-CSRF-Token` on every state-changing request.",
      },
      components: {
        securitySchemes: {
          bearerAuth: { type: "http", scheme: "bearer" },
          cookieAuth: { type: "apiKey", in: "cookie", name: "__Host-omnihall_session" },
        },
      },
    },
  });
  app.get("/openapi.json", { schema: { hide: true }, config: { rateLimit: false } }, async () => app.swagger());
  app.get("/healthz", { schema: { hide: true }, config: { rateLimit: false } }, async () => ({ status: "ok" }));
  if (options.frontEnd) await serveFrontEnd(app, options.frontEnd);
  return app;
}
