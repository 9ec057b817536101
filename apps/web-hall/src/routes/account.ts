import { callOptions, partyOf, requireSession, SESSION_SECURITY } from "@omnihall/hall-kit";
import type { FastifyInstance } from "fastify";
import type { WebHallClients } from "../clients.js";
import { billSchema, billView, paymentSchema, paymentView, subscriberSchema, subscriberView } from "./views.js";

const pageQuery = {
  type: "object",
  additionalProperties: false,
  properties: {
    pageSize: { type: "integer", minimum: 1, maximum: 100 },
    pageToken: { type: "string", maxLength: 512 },
  },
} as const;

/**
 * What a logged-in subscriber can see. Every call names the subscriber from the session and carries them as the
 * acting party, so the services themselves refuse anyone else's data.
 */
export async function accountRoutes(app: FastifyInstance, { clients }: { clients: WebHallClients }) {
  app.addHook("onRequest", requireSession("subscriber"));

  app.get(
    "/v1/me",
    {
      schema: {
        summary: "The logged-in subscriber",
        tags: ["account"],
        security: SESSION_SECURITY,
        response: { 200: subscriberSchema },
      },
    },
    async (request) => {
      const { subscriber } = await clients.customer.getSubscriber(
        { subscriberId: partyOf(request, "subscriber").subscriberId },
        callOptions(request),
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
        security: SESSION_SECURITY,
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
        { subscriberId: partyOf(request, "subscriber").subscriberId },
        callOptions(request),
      );
      return { balanceFen: Number(balance.balanceFen), updateTime: balance.updateTime?.toISOString() };
    },
  );

  app.get<{ Querystring: { pageSize?: number; pageToken?: string } }>(
    "/v1/me/payments",
    {
      schema: {
        summary: "Payments, newest first",
        tags: ["account"],
        security: SESSION_SECURITY,
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
          subscriberId: partyOf(request, "subscriber").subscriberId,
          pageSize: request.query.pageSize ?? 0,
          pageToken: request.query.pageToken ?? "",
        },
        callOptions(request),
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
        security: SESSION_SECURITY,
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
          subscriberId: partyOf(request, "subscriber").subscriberId,
          pageSize: request.query.pageSize ?? 0,
          pageToken: request.query.pageToken ?? "",
        },
        callOptions(request),
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
        security: SESSION_SECURITY,
        params: { type: "object", properties: { billId: { type: "string", maxLength: 64 } } },
        response: { 200: billSchema },
      },
    },
    async (request) => {
      const { bill } = await clients.billing.getBill(
        { subscriberId: partyOf(request, "subscriber").subscriberId, billId: request.params.billId },
        callOptions(request),
      );
      return billView(bill!);
    },
  );

  app.get<{ Params: { billId: string } }>(
    "/v1/me/bills/:billId/document",
    {
      schema: {
        summary: "One bill as a PDF to download (billing renders it)",
        tags: ["bills"],
        security: SESSION_SECURITY,
        params: { type: "object", properties: { billId: { type: "string", maxLength: 64 } } },
        produces: ["application/pdf"],
        response: { 200: { description: "The bill as application/pdf", type: "string", format: "binary" } },
      },
    },
    async (request, reply) => {
      const document = await clients.billing.getBillDocument(
        { subscriberId: partyOf(request, "subscriber").subscriberId, billId: request.params.billId },
        callOptions(request),
      );
      return reply
        .type(document.contentType)
        .header("content-disposition", `attachment; filename="${document.fileName.replace(/[^\w.-]/g, "_")}"`)
        .header("cache-control", "private, no-store")
        .send(Buffer.from(document.content));
    },
  );
}
