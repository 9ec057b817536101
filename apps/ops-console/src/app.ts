import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { buildHallApp, openHallSessions, sessionRoutes, trustProxyOf } from "@omnihall/hall-kit";
import type { Logger } from "@omnihall/service-kit";
import type { FastifyInstance } from "fastify";
import type { OpsConsoleClients } from "./clients.js";
import type { OpsConsoleConfig } from "./config.js";
import { OPS_CONSOLE } from "./hall-name.js";
import { campaignRoutes } from "./routes/campaigns.js";
import { loginRoutes } from "./routes/login.js";
import { previewRoutes } from "./routes/previews.js";

/** The Vite build of web/ (`npm run build:ui`); the same path from src/ and from the bundled dist/. */
export const OPS_UI_ROOT = fileURLToPath(new URL("../web/dist", import.meta.url));

/**
 * The ops console's JSON API on the hall kit: operations staff log in (the customer service checks them) and run
 * campaigns through the campaign service, which holds every rule — roles, province scope, the four-eyes approval,
 * the lifecycle. The console signs the operator into every call and shows what the services answer.
 */
export async function buildOpsConsole(options: {
  config: OpsConsoleConfig;
  clients: OpsConsoleClients;
  logger: Logger;
  frontEnd?: string | false;
}): Promise<FastifyInstance> {
  const { config } = options;
  const frontEndRoot = options.frontEnd ?? (existsSync(`${OPS_UI_ROOT}/index.html`) ? OPS_UI_ROOT : (false as const));
  const sessions = await openHallSessions(config, {
    hall: OPS_CONSOLE,
    kinds: ["operator"],
    ttlSeconds: { operator: config.OPERATOR_SESSION_TTL_MINUTES * 60 },
    logger: options.logger,
  });
  const app = await buildHallApp({
    name: OPS_CONSOLE,
    logger: options.logger,
    sessions: { tokens: sessions.tokens, cookies: { secure: config.SESSION_COOKIE_SECURE } },
    openapi: {
      title: "Omnihall ops console API",
      version: "1.0.0",
      description:
        "Operations staff (group HQ and provinces; roles author, approver, viewer) write campaigns with each hall's creative, size their audience, approve another author's, launch, pause and end them, and read their funnel and audit log. Every rule is the campaign service's.",
    },
    rateLimit: config.RATE_LIMIT_PER_MINUTE > 0 ? { max: config.RATE_LIMIT_PER_MINUTE } : false,
    trustProxy: trustProxyOf(config.TRUST_PROXY),
    frontEnd: frontEndRoot ? { root: frontEndRoot } : undefined,
  });
  app.addHook("onClose", () => sessions.close());
  await app.register(loginRoutes, { clients: options.clients });
  await app.register(sessionRoutes, { prefix: "/v1/sessions/current", tags: ["login"] });
  await app.register(campaignRoutes, { clients: options.clients });
  await app.register(previewRoutes);
  return app;
}
