import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import {
  buildHallApp,
  liveOfferRoutes,
  openHallLiveOffers,
  openHallSessions,
  sessionRoutes,
  trustProxyOf,
  type LiveOffers,
} from "@omnihall/hall-kit";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import type { Logger, SubscriberParty } from "@omnihall/service-kit";
import type { FastifyInstance } from "fastify";
import { CashSessions } from "./cash-sessions.js";
import type { KioskClients } from "./clients.js";
import type { KioskConfig } from "./config.js";
import type { Peripherals } from "./devices/peripherals.js";
import { KIOSK } from "./hall-name.js";
import { IdCardDesk } from "./id-card-desk.js";
import type { KioskContext } from "./kiosk-context.js";
import { accountRoutes } from "./routes/account.js";
import { kioskStatusRoutes } from "./routes/kiosk-status.js";
import { loginRoutes } from "./routes/login.js";
import { orderRoutes } from "./routes/orders.js";

declare module "fastify" {
  interface FastifyInstance {
    /** The terminal's cash sessions (startKiosk closes one a restart left open). */
    kioskCash: CashSessions;
  }
}

/** The Vite build of web/ (`npm run build:ui`); the same path from src/ and from the bundled dist/. */
export const KIOSK_UI_ROOT = fileURLToPath(new URL("../web/dist", import.meta.url));

/**
 * The kiosk hall: the touch screen's JSON API and pages for one self-service terminal, on the hall kit. It drives
 * the terminal's devices (peripherals) and turns them into domain calls; every rule stays in the services.
 */
export async function buildKiosk(options: {
  config: KioskConfig;
  clients: KioskClients;
  peripherals: Peripherals;
  logger: Logger;
  /** Where the built pages are; default web/dist when it has been built, `false` for the API alone. */
  frontEnd?: string | false;
  /** The live offer set shared in this process (`npm start` without NATS); default: watched at NATS_URL. */
  liveOffers?: LiveOffers;
}): Promise<FastifyInstance> {
  const { config, clients, peripherals, logger } = options;
  const frontEndRoot =
    options.frontEnd ?? (existsSync(`${KIOSK_UI_ROOT}/index.html`) ? KIOSK_UI_ROOT : (false as const));
  // A subscriber stands at a kiosk for minutes: short tokens (the screen's idle timeout ends it sooner).
  const sessions = await openHallSessions(config, {
    hall: KIOSK,
    kinds: ["subscriber"],
    ttlSeconds: { subscriber: 10 * 60 },
    logger,
  });
  const app = await buildHallApp({
    name: KIOSK,
    logger,
    sessions: { tokens: sessions.tokens, cookies: { secure: config.SESSION_COOKIE_SECURE } },
    openapi: {
      title: "Omnihall kiosk API",
      version: "1.0.0",
      description:
        "A self-service kiosk's screen: identify by SMS code or ID card, balance, bills, cash top-up with a receipt.",
    },
    rateLimit: config.RATE_LIMIT_PER_MINUTE > 0 ? { max: config.RATE_LIMIT_PER_MINUTE } : false,
    trustProxy: trustProxyOf(config.TRUST_PROXY),
    ...(frontEndRoot ? { frontEnd: { root: frontEndRoot } } : {}),
  });
  const kiosk: KioskContext = {
    config,
    clients,
    peripherals,
    cash: new CashSessions(config, clients, peripherals, logger),
    idCards: new IdCardDesk(peripherals),
    logger,
  };
  app.addHook("onClose", async () => {
    kiosk.cash.stop();
    kiosk.idCards.stop();
    await sessions.close();
  });
  // Leaving (log-out, idle timeout) never strands inserted cash: it is credited before the session ends.
  app.addHook("preHandler", async (request) => {
    const route = request.routeOptions.url?.replace(/\/$/, "");
    if (request.method === "DELETE" && route === "/v1/sessions/current" && request.session) {
      const party = request.session.party;
      if (party.kind === "subscriber") await kiosk.cash.closeFor(party as SubscriberParty);
      kiosk.idCards.clear();
    }
  });
  app.decorate("kioskCash", kiosk.cash);
  const live = await openHallLiveOffers(config, { shared: options.liveOffers, logger });
  app.addHook("onClose", () => live.close());
  // The attract screen: the offers placed on kiosks in this shop's province and city, before anyone identifies.
  await app.register(liveOfferRoutes, {
    offers: live.offers,
    channel: Channel.CHANNEL_KIOSK,
    campaign: clients.campaign,
    placeOf: () => ({ provinceCode: config.KIOSK_PROVINCE, city: config.KIOSK_CITY }),
  });
  await app.register(kioskStatusRoutes, { kiosk });
  await app.register(loginRoutes, { kiosk });
  await app.register(sessionRoutes, { prefix: "/v1/sessions/current", tags: ["login"] });
  await app.register(accountRoutes, { kiosk });
  await app.register(orderRoutes, { kiosk });
  return app;
}
