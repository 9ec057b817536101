import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import type { FastifyInstance } from "fastify";
import type { WebHallClients } from "../clients.js";
import { HallError } from "../errors.js";
import { requireSession } from "../session.js";
import {
  billSchema,
  billView,
  PAYMENT_METHODS,
  paymentMethodOf,
  paymentSchema,
  paymentView,
  subscriberSchema,
  subscriberView,
} from "./views.js";

const IDEMPOTENCY_KEY = /^[A-Za-z0-9_-]{8,64}$/;
const pageQuery = {
  type: "object",
  additionalProperties: false,
  properties: {
    pageSize: { type: "integer", minimum: 1, maximum: 100 },
    pageToken: { type: "string", maxLength: 512 },
  },
} as const;
const bearer = [{ bearerAuth: [] }];

/**
 * Everything a logged-in subscriber can see and do. Every call names the subscriber from the session, never from
 * the request, so nobody reaches another subscriber's data.
 */
export async function accountRoutes(app: FastifyInstance, { clients }: { clients: WebHallClients }) {
  // onRequest, before body and query validation: without a session nothing else about the request matters.
  app.addHook("onRequest", requireSession);

  app.get(
    "/v1/me",
    {
      schema: {
        summary: "The logged-in subscriber",
        tags: ["account"],
        security: bearer,
        response: { 200: subscriberSchema },
      },
    },
    async (request) => {
      const { subscriber } = await clients.customer.getSubscriber(
        { subscriberId: request.user.subscriberId, msisdn: undefined },
        { requestId: request.id },
      );
      return subscriberView(subscriber!);
    },
  );

  app.get(
    "/v1/me/balance",
    {
      schema: {
        summary: "Current balance",
        tags: ["account"],
        security: bearer,
        response: {
          200: {
            type: "object",
            properties: { balanceFen: { type: "integer" }, updateTime: { type: "string", format: "date-time" } },
          },
        },
      },
    },
    async (request) => {
      const balance = await clients.billing.getBalance(
        { subscriberId: request.user.subscriberId },
        { requestId: request.id },
      );
      return { balanceFen: Number(balance.balanceFen), updateTime: balance.updateTime?.toISOString() };
    },
  );

  app.post<{
    Body: { amountFen: number; paymentMethod: (typeof PAYMENT_METHODS)[number] };
    Headers: { "idempotency-key"?: string };
  }>(
    "/v1/me/top-ups",
    {
      schema: {
        summary: "Top up the balance",
        description:
          "Requires an Idempotency-Key header: a retry with the same key returns the first payment and charges nothing again.",
        tags: ["account"],
        security: bearer,
        headers: { type: "object", properties: { "idempotency-key": { type: "string" } } },
        body: {
          type: "object",
          required: ["amountFen", "paymentMethod"],
          additionalProperties: false,
          properties: { amountFen: { type: "integer" }, paymentMethod: { type: "string", enum: [...PAYMENT_METHODS] } },
        },
        response: { 201: { type: "object", properties: { payment: paymentSchema } } },
      },
    },
    async (request, reply) => {
      const key = request.headers["idempotency-key"];
      if (!key || !IDEMPOTENCY_KEY.test(key)) {
        throw new HallError(400, "IDEMPOTENCY_KEY_REQUIRED", {
          "zh-CN": "充值请求需要 Idempotency-Key 请求头（8 至 64 位字母、数字、- 或 _）。",
          en: "A top-up needs an Idempotency-Key header (8 to 64 letters, digits, - or _).",
        });
      }
      const { subscriberId } = request.user;
      const { payment } = await clients.billing.topUp(
        {
          // Keys are chosen by subscribers' devices: scoped to the subscriber so two people can't collide.
          requestId: `web-hall:${subscriberId}:${key}`,
          subscriberId,
          amountFen: BigInt(request.body.amountFen),
          channel: Channel.CHANNEL_WEB_HALL,
          paymentMethod: paymentMethodOf(request.body.paymentMethod),
        },
        { requestId: request.id },
      );
      return reply.code(201).send({ payment: paymentView(payment!) });
    },
  );

  app.get<{ Querystring: { pageSize?: number; pageToken?: string } }>(
    "/v1/me/payments",
    {
      schema: {
        summary: "Payments, newest first",
        tags: ["account"],
        security: bearer,
        querystring: pageQuery,
        response: {
          200: {
            type: "object",
            properties: { payments: { type: "array", items: paymentSchema }, nextPageToken: { type: "string" } },
          },
        },
      },
    },
    async (request) => {
      const page = await clients.billing.listPayments(
        {
          subscriberId: request.user.subscriberId,
          pageSize: request.query.pageSize ?? 0,
          pageToken: request.query.pageToken ?? "",
        },
        { requestId: request.id },
      );
      return { payments: page.payments.map(paymentView), nextPageToken: page.nextPageToken };
    },
  );

  app.get<{ Querystring: { pageSize?: number; pageToken?: string } }>(
    "/v1/me/bills",
    {
      schema: {
        summary: "Monthly bills, newest first (without lines)",
        tags: ["bills"],
        security: bearer,
        querystring: pageQuery,
        response: {
          200: {
            type: "object",
            properties: { bills: { type: "array", items: billSchema }, nextPageToken: { type: "string" } },
          },
        },
      },
    },
    async (request) => {
      const page = await clients.billing.listBills(
        {
          subscriberId: request.user.subscriberId,
          pageSize: request.query.pageSize ?? 0,
          pageToken: request.query.pageToken ?? "",
        },
        { requestId: request.id },
      );
      return { bills: page.bills.map(billView), nextPageToken: page.nextPageToken };
    },
  );

  app.get<{ Params: { billId: string } }>(
    "/v1/me/bills/:billId",
    {
      schema: {
        summary: "One bill with its itemised lines",
        tags: ["bills"],
        security: bearer,
        params: { type: "object", properties: { billId: { type: "string", maxLength: 64 } } },
        response: { 200: billSchema },
      },
    },
    async (request) => {
      const { bill } = await clients.billing.getBill(
        { subscriberId: request.user.subscriberId, billId: request.params.billId },
        { requestId: request.id },
      );
      return billView(bill!);
    },
  );
}
