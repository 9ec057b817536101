import {
  callOptions,
  idempotencyKeyHeader,
  idempotentRequestId,
  partyOf,
  requireSession,
  SESSION_SECURITY,
} from "@omnihall/hall-kit";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { WebHallClients } from "../clients.js";
import { WEB_HALL } from "../hall-name.js";
import {
  localized,
  localizedSchema,
  offeringKinds,
  offeringSchema,
  offeringView,
  orderSchema,
  orderView,
  productSchema,
  productView,
} from "./shop-views.js";

const pageQuery = {
  pageSize: { type: "integer", minimum: 1, maximum: 100 },
  pageToken: { type: "string", maxLength: 512 },
} as const;
const orderIdParams = {
  type: "object",
  required: ["orderId"],
  properties: { orderId: { type: "string", maxLength: 64 } },
} as const;
const orderAnswer = { type: "object", required: ["order"], properties: { order: orderSchema } } as const;

/**
 * What is on sale, ordering it, and what the subscriber holds. The catalog decides what is sold where, the order
 * engine decides eligibility, price and the steps; the hall passes the subscriber's choice along and shows the
 * answers. An order is created pending and charged only after the subscriber confirms it in this session
 * (ConfirmationMethod SESSION): the page shows the order's own price before asking.
 */
export async function shopRoutes(app: FastifyInstance, { clients }: { clients: WebHallClients }) {
  app.addHook("onRequest", requireSession("subscriber"));
  const subscriberOf = (request: FastifyRequest) => partyOf(request, "subscriber").subscriberId;

  app.get<{ Querystring: { kind?: string; roamingCountryCode?: string; pageToken?: string } }>(
    "/v1/me/offerings",
    {
      schema: {
        summary: "Offerings on sale to this subscriber through the web hall (their province, this hall)",
        tags: ["shop"],
        security: SESSION_SECURITY,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            kind: offeringKinds.schema,
            roamingCountryCode: { type: "string", pattern: "^[A-Z]{2}$" },
            pageToken: pageQuery.pageToken,
          },
        },
        response: {
          200: {
            type: "object",
            required: ["offerings"],
            properties: { offerings: { type: "array", items: offeringSchema }, nextPageToken: { type: "string" } },
          },
        },
      },
    },
    async (request) => {
      const { subscriber } = await clients.customer.getSubscriber(
        { subscriberId: subscriberOf(request) },
        callOptions(request),
      );
      const page = await clients.catalog.listOfferings(
        {
          pageSize: 100,
          pageToken: request.query.pageToken ?? "",
          kind: request.query.kind ? offeringKinds.valueOf(request.query.kind) : 0,
          provinceCode: subscriber!.provinceCode,
          channel: Channel.CHANNEL_WEB_HALL,
          lifecycle: 0,
          roamingCountryCode: request.query.roamingCountryCode ?? "",
        },
        callOptions(request),
      );
      return { offerings: page.offerings.map(offeringView), nextPageToken: page.nextPageToken };
    },
  );

  app.get(
    "/v1/me/roaming-destinations",
    {
      schema: {
        summary: "Roaming destinations (to pick packs by where the subscriber travels)",
        tags: ["shop"],
        security: SESSION_SECURITY,
        response: {
          200: {
            type: "object",
            required: ["destinations"],
            properties: {
              destinations: {
                type: "array",
                items: {
                  type: "object",
                  required: ["countryCode", "name"],
                  properties: { countryCode: { type: "string" }, name: localizedSchema },
                },
              },
            },
          },
        },
      },
    },
    async (request) => {
      const page = await clients.catalog.listRoamingDestinations(
        { pageSize: 200, pageToken: "" },
        callOptions(request),
      );
      return {
        destinations: page.destinations.map((d) => ({ countryCode: d.countryCode, name: localized(d.name) })),
      };
    },
  );

  app.post<{
    Body: {
      offeringCode: string;
      campaignId?: string;
      characteristics?: Record<string, string>;
      installation?: { address: string; appointmentTime: string; contactMsisdn?: string };
    };
  }>(
    "/v1/me/orders",
    {
      schema: {
        summary: "Order an offering: the order waits PENDING for the subscriber's confirmation; nothing is charged yet",
        description:
          "Requires an Idempotency-Key header. Confirm with POST /v1/me/orders/{orderId}/confirmation or cancel with POST …/cancellation. Refusals (not on sale, not eligible, missing settings) are the order engine's.",
        tags: ["shop"],
        security: SESSION_SECURITY,
        headers: idempotencyKeyHeader,
        body: {
          type: "object",
          required: ["offeringCode"],
          additionalProperties: false,
          properties: {
            offeringCode: { type: "string", minLength: 1, maxLength: 64 },
            campaignId: {
              type: "string",
              minLength: 1,
              maxLength: 64,
              description: "The campaign whose offer (GET /v1/live-offers) led here; the order engine checks it",
            },
            characteristics: {
              type: "object",
              maxProperties: 10,
              additionalProperties: { type: "string", maxLength: 64 },
            },
            installation: {
              type: "object",
              required: ["address", "appointmentTime"],
              additionalProperties: false,
              properties: {
                address: { type: "string", minLength: 1, maxLength: 200 },
                appointmentTime: { type: "string", format: "date-time" },
                contactMsisdn: { type: "string", maxLength: 32 },
              },
            },
          },
        },
        response: { 201: orderAnswer },
      },
    },
    async (request, reply) => {
      const { installation } = request.body;
      const { order } = await clients.orders.createOrder(
        {
          requestId: idempotentRequestId(request, WEB_HALL),
          subscriberId: subscriberOf(request),
          offeringCode: request.body.offeringCode,
          // Services take the channel from the hall's caller identity.
          channel: Channel.CHANNEL_UNSPECIFIED,
          agentId: "",
          campaignId: request.body.campaignId ?? "",
          number: "",
          characteristics: request.body.characteristics ?? {},
          installation: installation && {
            address: installation.address,
            appointmentTime: new Date(installation.appointmentTime),
            contactMsisdn: installation.contactMsisdn ?? "",
          },
        },
        callOptions(request),
      );
      return reply.code(201).send({ order: orderView(order!) });
    },
  );

  app.post<{ Params: { orderId: string } }>(
    "/v1/me/orders/:orderId/confirmation",
    {
      schema: {
        summary: "Confirm a pending order (the subscriber's consent to be charged); its fulfilment starts",
        tags: ["shop"],
        security: SESSION_SECURITY,
        headers: idempotencyKeyHeader,
        params: orderIdParams,
        response: { 200: orderAnswer },
      },
    },
    async (request) => {
      const { order } = await clients.orders.confirmOrder(
        {
          requestId: idempotentRequestId(request, WEB_HALL),
          subscriberId: subscriberOf(request),
          orderId: request.params.orderId,
          confirmationCode: "",
        },
        callOptions(request),
      );
      return { order: orderView(order!) };
    },
  );

  app.post<{ Params: { orderId: string } }>(
    "/v1/me/orders/:orderId/cancellation",
    {
      schema: {
        summary: "Cancel an order not confirmed yet",
        tags: ["shop"],
        security: SESSION_SECURITY,
        headers: idempotencyKeyHeader,
        params: orderIdParams,
        response: { 200: orderAnswer },
      },
    },
    async (request) => {
      const { order } = await clients.orders.cancelOrder(
        {
          requestId: idempotentRequestId(request, WEB_HALL),
          subscriberId: subscriberOf(request),
          orderId: request.params.orderId,
        },
        callOptions(request),
      );
      return { order: orderView(order!) };
    },
  );

  app.get<{ Querystring: { pageSize?: number; pageToken?: string } }>(
    "/v1/me/orders",
    {
      schema: {
        summary: "Orders, newest first (without history)",
        tags: ["shop"],
        security: SESSION_SECURITY,
        querystring: { type: "object", additionalProperties: false, properties: pageQuery },
        response: {
          200: {
            type: "object",
            required: ["orders"],
            properties: { orders: { type: "array", items: orderSchema }, nextPageToken: { type: "string" } },
          },
        },
      },
    },
    async (request) => {
      const page = await clients.orders.listOrders(
        {
          subscriberId: subscriberOf(request),
          states: [],
          channel: Channel.CHANNEL_UNSPECIFIED,
          campaignId: "",
          pageSize: request.query.pageSize ?? 0,
          pageToken: request.query.pageToken ?? "",
        },
        callOptions(request),
      );
      return { orders: page.orders.map(orderView), nextPageToken: page.nextPageToken };
    },
  );

  app.get<{ Params: { orderId: string } }>(
    "/v1/me/orders/:orderId",
    {
      schema: {
        summary: "One order with its state history and installation progress",
        tags: ["shop"],
        security: SESSION_SECURITY,
        params: orderIdParams,
        response: { 200: orderAnswer },
      },
    },
    async (request) => {
      const { order } = await clients.orders.getOrder(
        { subscriberId: subscriberOf(request), orderId: request.params.orderId },
        callOptions(request),
      );
      return { order: orderView(order!) };
    },
  );

  app.get<{ Querystring: { includeEnded?: boolean; pageSize?: number; pageToken?: string } }>(
    "/v1/me/products",
    {
      schema: {
        summary: "What the subscriber holds (plan, packs, features, broadband), newest first",
        tags: ["shop"],
        security: SESSION_SECURITY,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { includeEnded: { type: "boolean" }, ...pageQuery },
        },
        response: {
          200: {
            type: "object",
            required: ["products"],
            properties: { products: { type: "array", items: productSchema }, nextPageToken: { type: "string" } },
          },
        },
      },
    },
    async (request) => {
      const page = await clients.orders.listProducts(
        {
          subscriberId: subscriberOf(request),
          includeEnded: request.query.includeEnded ?? false,
          pageSize: request.query.pageSize ?? 0,
          pageToken: request.query.pageToken ?? "",
        },
        callOptions(request),
      );
      return { products: page.products.map(productView), nextPageToken: page.nextPageToken };
    },
  );

  app.post<{ Params: { productId: string } }>(
    "/v1/me/products/:productId/unsubscription",
    {
      schema: {
        summary: "Unsubscribe: at once or at the period's end, as the offering says (the plan itself cannot be)",
        tags: ["shop"],
        security: SESSION_SECURITY,
        headers: idempotencyKeyHeader,
        params: {
          type: "object",
          required: ["productId"],
          properties: { productId: { type: "string", maxLength: 64 } },
        },
        response: { 200: { type: "object", required: ["product"], properties: { product: productSchema } } },
      },
    },
    async (request) => {
      const { product } = await clients.orders.unsubscribe(
        {
          requestId: idempotentRequestId(request, WEB_HALL),
          subscriberId: subscriberOf(request),
          productId: request.params.productId,
        },
        callOptions(request),
      );
      return { product: productView(product!) };
    },
  );
}
