import { status } from "@grpc/grpc-js";
import { ServiceCallError } from "@omnihall/channel-client";
import {
  callOptions,
  HallError,
  IDEMPOTENCY_KEY,
  idempotencyKeyHeader,
  idempotentRequestId,
  partyOf,
  requireSession,
  SESSION_SECURITY,
} from "@omnihall/hall-kit";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import type { OpenAccountRequest } from "@omnihall/proto/omnihall/orders/v1/account_opening";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { MiniHallClients } from "../clients.js";
import { MINI_HALL } from "../hall-name.js";
import { openingSchema, openingView } from "./views.js";

/** An opening as the handheld took it (also while offline). Every check of its content is the service's. */
interface OpeningBody {
  name: string;
  idNumber: string;
  address: string;
  idPhoto: { contentType: string; base64: string };
  number: string;
  iccid: string;
  planCode: string;
}

const shortText = (maxLength: number) => ({ type: "string", maxLength }) as const;
const openingBodySchema = {
  type: "object",
  required: ["name", "idNumber", "address", "idPhoto", "number", "iccid", "planCode"],
  additionalProperties: false,
  properties: {
    name: shortText(64),
    idNumber: shortText(32),
    address: shortText(200),
    idPhoto: {
      type: "object",
      required: ["contentType", "base64"],
      additionalProperties: false,
      properties: { contentType: shortText(64), base64: { type: "string", maxLength: 720_000 } },
    },
    number: shortText(20),
    iccid: shortText(32),
    planCode: shortText(64),
  },
} as const;

/** The most openings one sync batch carries; a longer queue syncs in several batches. */
const MAX_BATCH = 10;

/** How one queued opening fared: applied (now or by an earlier sync), refused for good, or to be tried again. */
type SyncOutcome = "APPLIED" | "REFUSED" | "RETRY";

const RETRYABLE = new Set<status>([
  status.UNAVAILABLE,
  status.DEADLINE_EXCEEDED,
  status.RESOURCE_EXHAUSTED,
  status.ABORTED,
  status.INTERNAL,
  status.UNKNOWN,
]);

function openAccountRequest(requestId: string, body: OpeningBody): OpenAccountRequest {
  return {
    requestId,
    // The service takes the channel from the hall's caller identity.
    channel: Channel.CHANNEL_UNSPECIFIED,
    identity: { name: body.name, idNumber: body.idNumber, address: body.address },
    idPhoto: { contentType: body.idPhoto.contentType, content: Buffer.from(body.idPhoto.base64, "base64") },
    number: body.number,
    iccid: body.iccid,
    planCode: body.planCode,
    provinceCode: "",
    city: "",
  };
}

/**
 * The request id of a queued opening: the device's key scoped to the agent, exactly as the Idempotency-Key of a
 * single opening — so an opening sent alone and later again in a batch (or replayed) is the same opening.
 */
function queuedRequestId(request: FastifyRequest, key: string): string {
  const agent = partyOf(request, "agent");
  return `${MINI_HALL}:agent.${agent.agentId}:${key}`;
}

export async function openingRoutes(app: FastifyInstance, { clients }: { clients: MiniHallClients }) {
  app.addHook("onRequest", requireSession("agent"));
  const security = SESSION_SECURITY;

  app.post<{ Body: OpeningBody }>(
    "/v1/account-openings",
    {
      schema: {
        summary: "Open an account (real-name data, ID photo, number, SIM, plan)",
        description:
          "Idempotency-Key: the key the handheld generated when the agent took the opening. Refusals say why and what to do (e.g. NUMBER_NOT_AVAILABLE: choose another number).",
        tags: ["openings"],
        security,
        headers: idempotencyKeyHeader,
        body: openingBodySchema,
        response: { 201: { type: "object", properties: { accountOpening: openingSchema } } },
      },
    },
    async (request, reply) => {
      const requestId = idempotentRequestId(request, MINI_HALL);
      const { accountOpening } = await clients.openings.openAccount(
        openAccountRequest(requestId, request.body),
        callOptions(request),
      );
      return reply.code(201).send({ accountOpening: openingView(accountOpening!) });
    },
  );

  app.post<{ Body: { items: Array<{ key: string; opening: OpeningBody }> } }>(
    "/v1/sync",
    {
      schema: {
        summary: "Sync openings queued on the handheld while offline",
        description:
          "Each item carries the key the handheld generated when the opening was taken; each is applied at most once however often it is sent (a replayed or interrupted batch applies nothing twice). Answers per item: APPLIED (with the opening), REFUSED (reason and what to do: the agent fixes and sends a new opening) or RETRY (the service is unreachable now; send again later). Card payments are never queued: they run only online.",
        tags: ["openings"],
        security,
        body: {
          type: "object",
          required: ["items"],
          additionalProperties: false,
          properties: {
            items: {
              type: "array",
              minItems: 1,
              maxItems: MAX_BATCH,
              items: {
                type: "object",
                required: ["key", "opening"],
                additionalProperties: false,
                properties: { key: { type: "string", pattern: IDEMPOTENCY_KEY.source }, opening: openingBodySchema },
              },
            },
          },
        },
        response: {
          200: {
            type: "object",
            properties: {
              results: {
                type: "array",
                items: {
                  type: "object",
                  properties: {
                    key: { type: "string" },
                    outcome: { type: "string", enum: ["APPLIED", "REFUSED", "RETRY"] },
                    accountOpening: openingSchema,
                    error: {
                      type: "object",
                      properties: {
                        reason: { type: "string" },
                        messages: {
                          type: "object",
                          properties: { "zh-CN": { type: "string" }, en: { type: "string" } },
                        },
                      },
                    },
                  },
                },
              },
            },
          },
        },
      },
    },
    async (request) => {
      const keys = request.body.items.map((item) => item.key);
      if (new Set(keys).size !== keys.length) {
        throw new HallError(400, "SYNC_KEYS_DUPLICATED", {
          "zh-CN": "同一批次中有重复的业务编号。",
          en: "The batch carries the same key twice.",
        });
      }
      // One after another: a batch is a few openings, and each depends on the pool as the one before left it.
      const results = [];
      for (const item of request.body.items) {
        try {
          const { accountOpening } = await clients.openings.openAccount(
            openAccountRequest(queuedRequestId(request, item.key), item.opening),
            callOptions(request),
          );
          results.push({
            key: item.key,
            outcome: "APPLIED" as SyncOutcome,
            accountOpening: openingView(accountOpening!),
          });
        } catch (error) {
          if (!(error instanceof ServiceCallError)) throw error;
          const outcome: SyncOutcome = RETRYABLE.has(error.code) ? "RETRY" : "REFUSED";
          results.push({ key: item.key, outcome, error: { reason: error.reason, messages: error.messages } });
        }
      }
      return { results };
    },
  );

  app.get<{ Params: { accountOpeningId: string } }>(
    "/v1/account-openings/:accountOpeningId",
    {
      schema: {
        summary: "One of the agent's own openings",
        tags: ["openings"],
        security,
        params: { type: "object", properties: { accountOpeningId: { type: "string", maxLength: 80 } } },
        response: { 200: { type: "object", properties: { accountOpening: openingSchema } } },
      },
    },
    async (request) => {
      const { accountOpening } = await clients.openings.getAccountOpening(
        { accountOpeningId: request.params.accountOpeningId },
        callOptions(request),
      );
      return { accountOpening: openingView(accountOpening!) };
    },
  );
}
