import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  buildHallApp,
  callOptions,
  liveOfferRoutes,
  openHallLiveOffers,
  openHallSessions,
  sessionRoutes,
  trustProxyOf,
  type LiveOffers,
} from "@omnihall/hall-kit";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import type { Logger } from "@omnihall/service-kit";
import type { FastifyInstance } from "fastify";
import type { WebHallClients } from "./clients.js";
import type { WebHallConfig } from "./config.js";
import { WEB_HALL } from "./hall-name.js";
import { accountRoutes } from "./routes/account.js";
import { careRoutes } from "./routes/care.js";
import { loginRoutes } from "./routes/login.js";
import { shopRoutes } from "./routes/shop.js";
import { topUpRoutes } from "./routes/top-ups.js";

/** The Vite build of web/ (`npm run build:ui`); the same path from src/ and from the bundled dist/. */
export const WEB_UI_ROOT = fileURLToPath(new URL("../web/dist", import.meta.url));

/**
 * The web hall's JSON API on the hall kit: its routes and views only. Sessions, errors, limits, headers and the
 * OpenAPI document (/openapi.json) come from the kit.
 */
export async function buildWebHall(options: {
  config: WebHallConfig;
  clients: WebHallClients;
  logger: Logger;
  /** Where the built pages are; default web/dist when it has been built, `false` for the API alone. */
  frontEnd?: string | false;
  /** The live offer set shared in this process (`npm start` without NATS); default: watched at NATS_URL. */
  liveOffers?: LiveOffers;
}): Promise<FastifyInstance> {
  const { config } = options;
  const frontEndRoot = options.frontEnd ?? (existsSync(`${WEB_UI_ROOT}/index.html`) ? WEB_UI_ROOT : (false as const));
  const sessions = await openHallSessions(config, { hall: WEB_HALL, kinds: ["subscriber"], logger: options.logger });
  const app = await buildHallApp({
    name: WEB_HALL,
    logger: options.logger,
    sessions: { tokens: sessions.tokens, cookies: { secure: config.SESSION_COOKIE_SECURE } },
    openapi: {
      title: "Omnihall web hall API",
      version: "1.0.0",
      description:
        "The customer portal's JSON API: log in by SMS code, then balance, usage, bills, top-ups, offerings and orders, subscriptions, points and marketing consent.",
    },
    rateLimit: config.RATE_LIMIT_PER_MINUTE > 0 ? { max: config.RATE_LIMIT_PER_MINUTE } : false,
    trustProxy: trustProxyOf(config.TRUST_PROXY),
    frontEnd: frontEndRoot ? { root: frontEndRoot } : undefined,
  });
  app.addHook("onClose", () => sessions.close());
  const live = await openHallLiveOffers(config, { shared: options.liveOffers, logger: options.logger });
  app.addHook("onClose", () => live.close());
  await app.register(loginRoutes, { clients: options.clients });
  await app.register(sessionRoutes, { prefix: "/v1/sessions/current", tags: ["login"] });
  await app.register(accountRoutes, { clients: options.clients });
  await app.register(topUpRoutes, { clients: options.clients });
  await app.register(shopRoutes, { clients: options.clients });
  await app.register(careRoutes, { clients: options.clients });
  // The home page's campaign banner: the subscriber's home province and city once logged in, national offers
  // before (the campaign service's ListOffers rule for a subscriber it cannot place).
  await app.register(liveOfferRoutes, {
    offers: live.offers,
    channel: Channel.CHANNEL_WEB_HALL,
    campaign: options.clients.campaign,
    async placeOf(request) {
      const party = request.session?.party;
      if (party?.kind !== "subscriber") return { provinceCode: "" };
      const { subscriber } = await options.clients.customer.getSubscriber(
        { subscriberId: party.subscriberId },
        callOptions(request),
      );
      return { provinceCode: subscriber?.provinceCode ?? "", city: subscriber?.city || undefined };
    },
  });
  return app;
}
