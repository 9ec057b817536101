import {
  callOptions,
  idempotencyKeyHeader,
  idempotentRequestId,
  partyOf,
  requireSession,
  SESSION_SECURITY,
} from "@omnihall/hall-kit";
import { OfferingLifecycle } from "@omnihall/proto/omnihall/catalog/v1/catalog";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { OpsConsoleClients } from "../clients.js";
import { OPS_CONSOLE } from "../hall-name.js";
import {
  audienceOf,
  auditEntrySchema,
  auditEntryView,
  campaignSchema,
  campaignView,
  estimateSchema,
  estimateView,
  funnelSchema,
  funnelView,
  scopeOf,
  specOf,
  specSchema,
  STATES,
  waveSchema,
  waveView,
  type SpecView,
} from "./campaign-views.js";

const tags = ["campaigns"];
const security = SESSION_SECURITY;
const idParams = {
  type: "object",
  required: ["campaignId"],
  properties: { campaignId: { type: "string", maxLength: 80 } },
} as const;
const campaignAnswer = { type: "object", required: ["campaign"], properties: { campaign: campaignSchema } } as const;

type ById = { Params: { campaignId: string } };

/** The lifecycle steps a page may ask for, each one RPC of the campaign service (which decides if it may). */
const ACTIONS = ["submit", "approve", "reject", "pause", "resume", "end"] as const;
type Action = (typeof ACTIONS)[number];

/**
 * Campaign pages' API. Every call carries the operator (signed by the hall kit's callOptions); the campaign service
 * checks role, province scope, the author-cannot-approve rule and the lifecycle, and the console passes its
 * refusal through word for word.
 */
export async function campaignRoutes(app: FastifyInstance, { clients }: { clients: OpsConsoleClients }) {
  app.addHook("onRequest", requireSession("operator"));
  const { campaigns } = clients;
  const requestIdOf = (request: FastifyRequest) => idempotentRequestId(request, OPS_CONSOLE);

  app.get<{ Querystring: { state?: string[]; pageToken?: string; pageSize?: number } }>(
    "/v1/campaigns",
    {
      schema: {
        summary: "Campaigns the operator may see, newest first, optionally only some states",
        tags,
        security,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: {
            state: { type: "array", items: STATES.schema, maxItems: 6 },
            pageToken: { type: "string", maxLength: 512 },
            pageSize: { type: "integer", minimum: 1, maximum: 100 },
          },
        },
        response: {
          200: {
            type: "object",
            required: ["campaigns"],
            properties: { campaigns: { type: "array", items: campaignSchema }, nextPageToken: { type: "string" } },
          },
        },
      },
    },
    async (request) => {
      const answer = await campaigns.listCampaigns(
        {
          pageSize: request.query.pageSize ?? 50,
          pageToken: request.query.pageToken ?? "",
          states: (request.query.state ?? []).map((name) => STATES.valueOf(name)),
          provinceCode: "",
          nationalOnly: false,
        },
        callOptions(request),
      );
      return { campaigns: answer.campaigns.map(campaignView), nextPageToken: answer.nextPageToken };
    },
  );

  app.post<{ Body: { spec: SpecView } }>(
    "/v1/campaigns",
    {
      schema: {
        summary: "Write a new campaign (DRAFT); the operator is its author",
        tags,
        security,
        headers: idempotencyKeyHeader,
        body: { type: "object", required: ["spec"], additionalProperties: false, properties: { spec: specSchema } },
        response: { 201: campaignAnswer },
      },
    },
    async (request, reply) => {
      const { campaign } = await campaigns.createCampaign(
        { requestId: requestIdOf(request), spec: specOf(request.body.spec) },
        callOptions(request),
      );
      return reply.code(201).send({ campaign: campaignView(campaign!) });
    },
  );

  app.get<ById>(
    "/v1/campaigns/:campaignId",
    { schema: { summary: "One campaign", tags, security, params: idParams, response: { 200: campaignAnswer } } },
    async (request) => {
      const { campaign } = await campaigns.getCampaign({ campaignId: request.params.campaignId }, callOptions(request));
      return { campaign: campaignView(campaign!) };
    },
  );

  app.put<ById & { Body: { spec: SpecView; etag?: string } }>(
    "/v1/campaigns/:campaignId",
    {
      schema: {
        summary: "Replace a DRAFT campaign's definition (etag: refuse if someone changed it meanwhile)",
        tags,
        security,
        params: idParams,
        headers: idempotencyKeyHeader,
        body: {
          type: "object",
          required: ["spec"],
          additionalProperties: false,
          properties: { spec: specSchema, etag: { type: "string", maxLength: 128 } },
        },
        response: { 200: campaignAnswer },
      },
    },
    async (request) => {
      const { campaign } = await campaigns.updateCampaign(
        {
          requestId: requestIdOf(request),
          campaignId: request.params.campaignId,
          spec: specOf(request.body.spec),
          etag: request.body.etag ?? "",
        },
        callOptions(request),
      );
      return { campaign: campaignView(campaign!) };
    },
  );

  for (const action of ACTIONS) {
    app.post<ById & { Body: { reason?: string } | undefined }>(
      `/v1/campaigns/:campaignId/${action}`,
      {
        schema: {
          summary: `${action[0]!.toUpperCase()}${action.slice(1)} a campaign`,
          tags,
          security,
          params: idParams,
          headers: idempotencyKeyHeader,
          ...(action === "reject"
            ? {
                body: {
                  type: "object",
                  required: ["reason"],
                  additionalProperties: false,
                  properties: { reason: { type: "string", maxLength: 500 } },
                },
              }
            : {}),
          response: { 200: campaignAnswer },
        },
      },
      async (request) => {
        const ids = { requestId: requestIdOf(request), campaignId: request.params.campaignId };
        const answer = await runAction(clients, action, ids, request.body?.reason ?? "", callOptions(request));
        return { campaign: campaignView(answer.campaign!) };
      },
    );
  }

  app.get<ById & { Querystring: { pageToken?: string } }>(
    "/v1/campaigns/:campaignId/audit",
    {
      schema: {
        summary: "The campaign's audit log, oldest first: who did what when, before and after",
        tags,
        security,
        params: idParams,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { pageToken: { type: "string", maxLength: 512 } },
        },
        response: {
          200: {
            type: "object",
            required: ["entries"],
            properties: { entries: { type: "array", items: auditEntrySchema }, nextPageToken: { type: "string" } },
          },
        },
      },
    },
    async (request) => {
      const answer = await campaigns.listAuditEntries(
        { campaignId: request.params.campaignId, pageSize: 100, pageToken: request.query.pageToken ?? "" },
        callOptions(request),
      );
      return { entries: answer.entries.map(auditEntryView), nextPageToken: answer.nextPageToken };
    },
  );

  app.get<ById>(
    "/v1/campaigns/:campaignId/funnel",
    {
      schema: {
        summary: "The campaign's funnel per channel and the lift against its holdout group, live",
        tags,
        security,
        params: idParams,
        response: { 200: funnelSchema },
      },
    },
    async (request) =>
      funnelView(await campaigns.getCampaignFunnel({ campaignId: request.params.campaignId }, callOptions(request))),
  );

  app.get<ById>(
    "/v1/campaigns/:campaignId/wave",
    {
      schema: {
        summary: "How far the campaign's outbound SMS wave is (404 WAVE_NOT_FOUND before launch or without SMS)",
        tags,
        security,
        params: idParams,
        response: { 200: waveSchema },
      },
    },
    async (request) => {
      const { progress } = await campaigns.getWaveProgress(
        { campaignId: request.params.campaignId },
        callOptions(request),
      );
      return waveView(progress!);
    },
  );

  app.post<{ Body: { audience: SpecView["audience"]; scope: SpecView["scope"]; holdoutPercent?: number } }>(
    "/v1/audience-estimates",
    {
      schema: {
        summary: "How many subscribers an audience holds today (matching, reachable, held out)",
        tags,
        security,
        body: {
          type: "object",
          required: ["audience", "scope"],
          additionalProperties: false,
          properties: {
            audience: specSchema.properties.audience,
            scope: specSchema.properties.scope,
            holdoutPercent: specSchema.properties.holdoutPercent,
          },
        },
        response: { 200: estimateSchema },
      },
    },
    async (request) =>
      estimateView(
        await campaigns.estimateAudience(
          {
            audience: audienceOf(request.body.audience),
            scope: scopeOf(request.body.scope),
            holdoutPercent: request.body.holdoutPercent ?? 0,
          },
          callOptions(request),
        ),
      ),
  );

  app.get(
    "/v1/offerings",
    {
      schema: {
        summary: "Catalog offerings on sale that a campaign may offer (in the operator's province, or all for HQ)",
        tags,
        security,
        response: {
          200: {
            type: "object",
            required: ["offerings"],
            properties: {
              offerings: {
                type: "array",
                items: {
                  type: "object",
                  required: ["code", "name", "priceFen"],
                  properties: {
                    code: { type: "string" },
                    name: { type: "object", properties: { zhCn: { type: "string" }, en: { type: "string" } } },
                    priceFen: { type: "integer" },
                  },
                },
              },
            },
          },
        },
      },
    },
    async (request) => {
      const { provinceScope } = partyOf(request, "operator");
      const { offerings } = await clients.catalog.listOfferings(
        {
          pageSize: 200,
          pageToken: "",
          kind: 0,
          provinceCode: provinceScope === "*" ? "" : provinceScope,
          channel: 0,
          lifecycle: OfferingLifecycle.OFFERING_LIFECYCLE_ACTIVE,
          roamingCountryCode: "",
        },
        callOptions(request),
      );
      return {
        offerings: offerings.map((offering) => ({
          code: offering.code,
          name: { zhCn: offering.name?.zhCn ?? offering.code, en: offering.name?.en ?? offering.code },
          priceFen: Number(offering.priceFen),
        })),
      };
    },
  );
}

function runAction(
  clients: OpsConsoleClients,
  action: Action,
  ids: { requestId: string; campaignId: string },
  reason: string,
  options: ReturnType<typeof callOptions>,
) {
  const { campaigns } = clients;
  switch (action) {
    case "submit":
      return campaigns.submitCampaign(ids, options);
    case "approve":
      return campaigns.approveCampaign(ids, options);
    case "reject":
      return campaigns.rejectCampaign({ ...ids, reason }, options);
    case "pause":
      return campaigns.pauseCampaign(ids, options);
    case "resume":
      return campaigns.resumeCampaign(ids, options);
    case "end":
      return campaigns.endCampaign(ids, options);
  }
}
