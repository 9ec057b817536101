import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  buildHallApp,
  liveOfferRoutes,
  openHallLiveOffers,
  openHallSessions,
  partyOf,
  sessionRoutes,
  trustProxyOf,
  type LiveOffers,
} from "@omnihall/hall-kit";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import type { Logger } from "@omnihall/service-kit";
import type { FastifyInstance } from "fastify";
import type { MiniHallClients } from "./clients.js";
import type { MiniHallConfig } from "./config.js";
import { MINI_HALL } from "./hall-name.js";
import { dayRoutes } from "./routes/day.js";
import { fieldRoutes } from "./routes/field.js";
import { loginRoutes } from "./routes/login.js";
import { openingRoutes } from "./routes/openings.js";
import { orderRoutes } from "./routes/orders.js";
import { paymentRoutes } from "./routes/payments.js";

/** The Vite build of web/ (`npm run build:ui`); the same path from src/ and from the bundled dist/. */
export const MINI_UI_ROOT = fileURLToPath(new URL("../web/dist", import.meta.url));

/**
 * The mini hall's JSON API on the hall kit: an agent logs in on a handheld, looks things up for the subscriber in
 * front of them, and sends account openings — one by one, or as the batch the handheld queued while offline.
 */
export async function buildMiniHall(options: {
  config: MiniHallConfig;
  clients: MiniHallClients;
  logger: Logger;
  frontEnd?: string | false;
  /** The live offer set shared in this process (`npm start` without NATS); default: watched at NATS_URL. */
  liveOffers?: LiveOffers;
}): Promise<FastifyInstance> {
  const { config } = options;
  const frontEndRoot = options.frontEnd ?? (existsSync(`${MINI_UI_ROOT}/index.html`) ? MINI_UI_ROOT : (false as const));
  const sessions = await openHallSessions(config, {
    hall: MINI_HALL,
    kinds: ["agent"],
    ttlSeconds: { agent: config.AGENT_SESSION_TTL_MINUTES * 60 },
    logger: options.logger,
  });
  const app = await buildHallApp({
    name: MINI_HALL,
    logger: options.logger,
    sessions: { tokens: sessions.tokens, cookies: { secure: config.SESSION_COOKIE_SECURE } },
    openapi: {
      title: "Omnihall mini hall API",
      version: "1.0.0",
      description:
        "The field agent's handheld: log in with agent id + PIN on a registered device, look up numbers, plans and subscribers of the territory, open accounts (one by one or as an offline-queued batch, each applied once by its Idempotency-Key), and the agent's day.",
    },
    rateLimit: config.RATE_LIMIT_PER_MINUTE > 0 ? { max: config.RATE_LIMIT_PER_MINUTE } : false,
    trustProxy: trustProxyOf(config.TRUST_PROXY),
    // Openings carry an ID photo (up to 512 KiB, base64 in JSON), a sync batch several of them.
    bodyLimit: 4 * 1024 * 1024,
    frontEnd: frontEndRoot ? { root: frontEndRoot } : undefined,
  });
  app.addHook("onClose", () => sessions.close());
  const live = await openHallLiveOffers(config, { shared: options.liveOffers, logger: options.logger });
  app.addHook("onClose", () => live.close());
  await app.register(loginRoutes, { clients: options.clients });
  await app.register(sessionRoutes, { prefix: "/v1/sessions/current", tags: ["login"] });
  await app.register(fieldRoutes, { clients: options.clients });
  await app.register(openingRoutes, { clients: options.clients });
  await app.register(dayRoutes, { clients: options.clients });
  await app.register(paymentRoutes, { clients: options.clients });
  await app.register(orderRoutes, { clients: options.clients });
  // The agent's pitch: the offers placed on the mini hall in the agent's territory.
  await app.register(liveOfferRoutes, {
    offers: live.offers,
    channel: Channel.CHANNEL_MINI_HALL,
    campaign: options.clients.campaign,
    session: ["agent"],
    placeOf: (request) => {
      const { territory } = partyOf(request, "agent");
      return { provinceCode: territory.provinceCode, city: territory.city };
    },
  });
  return app;
}
