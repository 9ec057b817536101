import { callOptions, partyOf, requireSession, SESSION_SECURITY } from "@omnihall/hall-kit";
import { OfferingLifecycle } from "@omnihall/proto/omnihall/catalog/v1/catalog";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import type { FastifyInstance } from "fastify";
import type { MiniHallClients } from "../clients.js";
import {
  numberSchema,
  numberView,
  offeringKinds,
  offeringSchema,
  offeringView,
  subscriberSchema,
  subscriberView,
} from "./views.js";

/**
 * What the handheld looks up and caches for a day without signal: numbers free in the agent's province, the
 * offerings sold there through the mini hall (plans for openings, packs, and the campaign offers panel), and the
 * subscriber in front of the agent (the customer service holds the agent to their territory).
 */
export async function fieldRoutes(app: FastifyInstance, { clients }: { clients: MiniHallClients }) {
  app.addHook("onRequest", requireSession("agent"));
  const security = SESSION_SECURITY;

  app.get<{ Querystring: { pattern?: string; pageSize?: number } }>(
    "/v1/numbers",
    {
      schema: {
        summary: "Numbers free to sell in the agent's province (the slice the handheld caches)",
        tags: ["field"],
        security,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            pattern: { type: "string", maxLength: 11 },
            pageSize: { type: "integer", minimum: 1, maximum: 100 },
          },
        },
        response: { 200: { type: "object", properties: { numbers: { type: "array", items: numberSchema } } } },
      },
    },
    async (request) => {
      const agent = partyOf(request, "agent");
      const { numbers } = await clients.catalog.listAvailableNumbers(
        {
          provinceCode: agent.territory.provinceCode,
          pattern: request.query.pattern ?? "",
          pageSize: request.query.pageSize ?? 30,
          pageToken: "",
        },
        callOptions(request),
      );
      return { numbers: numbers.map(numberView) };
    },
  );

  app.get<{ Querystring: { kind?: string } }>(
    "/v1/offerings",
    {
      schema: {
        summary: "Offerings on sale through the mini hall in the agent's province",
        description:
          "Plans for account openings, packs and broadband to order, and the live offers the campaign panel shows (campaign targeting arrives with the campaigns service).",
        tags: ["field"],
        security,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { kind: offeringKinds.schema },
        },
        response: { 200: { type: "object", properties: { offerings: { type: "array", items: offeringSchema } } } },
      },
    },
    async (request) => {
      const agent = partyOf(request, "agent");
      const { offerings } = await clients.catalog.listOfferings(
        {
          pageSize: 100,
          pageToken: "",
          kind: request.query.kind ? offeringKinds.valueOf(request.query.kind) : 0,
          provinceCode: agent.territory.provinceCode,
          channel: Channel.CHANNEL_MINI_HALL,
          lifecycle: OfferingLifecycle.OFFERING_LIFECYCLE_ACTIVE,
          roamingCountryCode: "",
        },
        callOptions(request),
      );
      return { offerings: offerings.map(offeringView) };
    },
  );

  app.get<{ Params: { msisdn: string } }>(
    "/v1/subscribers/:msisdn",
    {
      schema: {
        summary: "The subscriber on a number (inside the agent's territory only)",
        tags: ["field"],
        security,
        params: { type: "object", properties: { msisdn: { type: "string", maxLength: 32 } } },
        response: { 200: { type: "object", properties: { subscriber: subscriberSchema } } },
      },
    },
    async (request) => {
      const { subscriber } = await clients.customer.getSubscriber(
        { msisdn: request.params.msisdn },
        callOptions(request),
      );
      return { subscriber: subscriberView(subscriber!) };
    },
  );
}
