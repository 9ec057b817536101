import { MemoryLiveOffers, NatsLiveOffers, offerUpdates, type LiveOffers, type Place } from "@omnihall/live-offers";
import type { ServiceClient } from "@omnihall/channel-client";
import {
  InteractionKind,
  type CampaignServiceService,
  type Creative,
  type LiveOffer,
} from "@omnihall/proto/omnihall/campaign/v1/campaign";
import { Channel, type LocalizedText } from "@omnihall/proto/omnihall/common/v1/common";
import type { Logger, PartyKind } from "@omnihall/service-kit";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { HallConfig } from "./config.js";
import { fenOf } from "./requests/body-rules.js";
import { HALL_ERRORS } from "./errors/hall-error.js";
import { requireSession, SESSION_SECURITY } from "./sessions/sessions-plugin.js";
import { sendEvents } from "./sse.js";
import { timeOf } from "./views.js";

export type { LiveOffers, Place } from "@omnihall/live-offers";

/**
 * The live campaign offers a hall reads, in memory: the set handed in (`npm start` without NATS, where the
 * campaign service and every hall share one in-process set), else the campaign service's NATS KV bucket watched
 * (NATS_URL, LIVE_OFFERS_BUCKET), else an empty set of this process (a hall alone shows no campaign).
 * `close()` when the hall stops (it leaves a handed-in set open: its owner closes it).
 */
export async function openHallLiveOffers(
  config: Pick<HallConfig, "NATS_URL" | "LIVE_OFFERS_BUCKET">,
  options: { shared?: LiveOffers; logger?: Logger } = {},
): Promise<{ offers: LiveOffers; close(): Promise<void> }> {
  if (options.shared) return { offers: options.shared, close: async () => {} };
  if (!config.NATS_URL) {
    options.logger?.warn("no NATS_URL and no shared live offer set: this hall shows no campaign offers");
    return { offers: new MemoryLiveOffers(), close: async () => {} };
  }
  const offers = await NatsLiveOffers.open({
    servers: config.NATS_URL,
    bucket: config.LIVE_OFFERS_BUCKET,
    onWatchError: (error) => options.logger?.error({ err: error }, "live offer watch failed"),
  });
  return { offers, close: () => offers.close() };
}

const localizedSchema = {
  type: "object",
  required: ["zh-CN", "en"],
  properties: { "zh-CN": { type: "string" }, en: { type: "string" } },
} as const;

/** One live offer as every hall's pages read it (GET /v1/live-offers, the `offers` events). */
export const liveOfferSchema = {
  type: "object",
  required: ["campaignId", "offeringCode", "discountBps", "title", "text"],
  properties: {
    campaignId: { type: "string", description: "Carry it to the order (campaignId) so the sale is attributed" },
    offeringCode: { type: "string", description: "The catalog offering sold" },
    priceFen: { type: "integer", description: "The campaign price, fen; absent: the catalog price" },
    discountBps: { type: "integer", description: "Discount off the catalog price, basis points; 0 none" },
    title: localizedSchema,
    text: localizedSchema,
    endTime: { type: "string", format: "date-time" },
  },
} as const;

export interface LiveOfferView {
  campaignId: string;
  offeringCode: string;
  priceFen?: number;
  discountBps: number;
  title: { "zh-CN": string; en: string };
  text: { "zh-CN": string; en: string };
  endTime?: string;
}

const localized = (text: LocalizedText | undefined) => ({ "zh-CN": text?.zhCn ?? "", en: text?.en ?? "" });
const both = (text: string) => ({ "zh-CN": text, en: text });

/** This channel's creative: the web banner, the kiosk attract screen, or the agent's pitch (under the name). */
function creativeOf(channel: Channel, creative: Creative | undefined, name: string) {
  switch (channel) {
    case Channel.CHANNEL_WEB_HALL:
      return { title: localized(creative?.webBannerTitle), text: localized(creative?.webBannerText) };
    case Channel.CHANNEL_KIOSK:
      return { title: localized(creative?.kioskAttractTitle), text: localized(creative?.kioskAttractText) };
    default:
      return { title: both(name), text: localized(creative?.agentPitch) };
  }
}

export function liveOfferView(offer: LiveOffer): LiveOfferView {
  return {
    campaignId: offer.campaignId,
    offeringCode: offer.offer?.offeringCode ?? "",
    ...(offer.offer?.hasPrice ? { priceFen: fenOf(offer.offer.priceFen) } : {}),
    discountBps: offer.offer?.discountBps ?? 0,
    ...creativeOf(offer.channel, offer.creative, offer.campaignName),
    ...(offer.endTime ? { endTime: timeOf(offer.endTime) } : {}),
  };
}

/** By campaign id: a stable order keeps a screen from reshuffling on every change. */
const inOrder = (offers: LiveOffer[]) =>
  [...offers].sort((a, b) => a.campaignId.localeCompare(b.campaignId)).map(liveOfferView);

export interface LiveOfferRoutesOptions {
  offers: LiveOffers;
  /** This hall's channel: only offers placed on it are shown. */
  channel: Channel;
  /**
   * Where the person in front of the screen is (the subscriber's home, the agent's territory, the kiosk's shop):
   * which offers they see is then the live-offers kit's rule, the same one ListOffers answers with. A province
   * code "" means "not known": national offers only.
   */
  placeOf(request: FastifyRequest): Place | Promise<Place>;
  /** Session kinds required (none: public, e.g. a kiosk's attract screen or the web hall before login). */
  session?: PartyKind[];
  /** The campaign service, to pass on impressions and clicks (POST /v1/live-offers/interactions). */
  campaign?: ServiceClient<typeof CampaignServiceService>;
  /** Reports being passed on at once; more are dropped (and logged) rather than queued. Default 8. */
  maxReportsInFlight?: number;
}

/** The most interactions one report carries (the campaign service takes 500 a batch). */
const MAX_INTERACTIONS = 50;
const interactionKinds = {
  IMPRESSION: InteractionKind.INTERACTION_KIND_IMPRESSION,
  CLICK: InteractionKind.INTERACTION_KIND_CLICK,
};

interface InteractionsBody {
  interactions: Array<{
    clientEventId: string;
    campaignId: string;
    kind: keyof typeof interactionKinds;
    occurTime: string;
  }>;
}

const interactionsBody = {
  type: "object",
  required: ["interactions"],
  additionalProperties: false,
  properties: {
    interactions: {
      type: "array",
      minItems: 1,
      maxItems: MAX_INTERACTIONS,
      items: {
        type: "object",
        required: ["clientEventId", "campaignId", "kind", "occurTime"],
        additionalProperties: false,
        properties: {
          clientEventId: { type: "string", pattern: "^[A-Za-z0-9_.:-]{1,64}$" },
          campaignId: { type: "string", minLength: 1, maxLength: 64 },
          kind: { type: "string", enum: Object.keys(interactionKinds) },
          occurTime: { type: "string", format: "date-time" },
        },
      },
    },
  },
} as const;

const offersAnswer = {
  type: "object",
  required: ["offers"],
  properties: { offers: { type: "array", items: liveOfferSchema } },
} as const;

/**
 * GET /v1/live-offers (the offers this screen shows now) and GET /v1/live-offers/events (server-sent events: an
 * `offers` event with the whole list at once, then again each time a launch, pause or end changes it). Both
 * answer from memory; register with `app.register(liveOfferRoutes, { offers, channel, placeOf })`.
 */
export async function liveOfferRoutes(app: FastifyInstance, options: LiveOfferRoutesOptions): Promise<void> {
  if (options.session) app.addHook("onRequest", requireSession(...options.session));
  const security = options.session ? SESSION_SECURITY : [];

  app.get(
    "/v1/live-offers",
    {
      schema: {
        summary: "The campaign offers live on this hall for the person in front of it",
        tags: ["offers"],
        security,
        response: { 200: offersAnswer },
      },
    },
    async (request) => ({
      offers: inOrder(options.offers.offersFor(options.channel, await options.placeOf(request))),
    }),
  );

  app.get(
    "/v1/live-offers/events",
    {
      schema: {
        summary: "The same offers as server-sent events: `offers` with the whole list now and after every change",
        tags: ["offers"],
        security,
        produces: ["text/event-stream"],
      },
    },
    async (request, reply) => {
      const place = await options.placeOf(request);
      return sendEvents(request, reply, async function* ({ signal }) {
        for await (const offers of offerUpdates(options.offers, options.channel, place, signal)) {
          yield { event: "offers", data: { offers: inOrder(offers) } };
        }
      });
    },
  );

  const campaign = options.campaign;
  if (!campaign) return;
  const maxInFlight = options.maxReportsInFlight ?? 8;
  let inFlight = 0;
  app.post<{ Body: InteractionsBody }>(
    "/v1/live-offers/interactions",
    {
      schema: {
        summary: "Report offers shown (IMPRESSION) and opened (CLICK), batched; answered at once",
        description:
          "The hall passes the batch on to the campaign service in the background (the acting party's, if any), so a page never waits on it; each clientEventId is counted once there. 202 even when the hall is too busy to pass it on (then it is dropped).",
        tags: ["offers"],
        security,
        body: interactionsBody,
        response: { 202: { type: "object", properties: {} } },
      },
    },
    async (request, reply) => {
      const occurTimes = request.body.interactions.map((i) => new Date(i.occurTime));
      if (occurTimes.some((time) => Number.isNaN(time.getTime())))
        throw HALL_ERRORS.requestInvalid(["occurTime is not a time"]);
      if (inFlight >= maxInFlight) {
        request.log.warn(
          { interactions: request.body.interactions.length },
          "interaction report dropped: too many in flight",
        );
        return reply.code(202).send({});
      }
      inFlight += 1;
      // Not the request's abort signal: the report goes on after the answer; the deadline bounds it.
      void campaign
        .recordInteractions(
          {
            channel: options.channel,
            interactions: request.body.interactions.map((i, index) => ({
              clientEventId: i.clientEventId,
              campaignId: i.campaignId,
              kind: interactionKinds[i.kind],
              subscriberId: "",
              occurTime: occurTimes[index],
            })),
          },
          { requestId: request.id, ...(request.session ? { party: request.session.party } : {}) },
        )
        .catch((error: unknown) => request.log.warn({ err: error }, "interaction report not passed on"))
        .finally(() => (inFlight -= 1));
      return reply.code(202).send({});
    },
  );
}
