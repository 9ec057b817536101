import {
  callOptions,
  enumView,
  fenOf,
  idempotencyKeyHeader,
  idempotentRequestId,
  partyOf,
  requireSession,
  SESSION_SECURITY,
  timeOf,
} from "@omnihall/hall-kit";
import { RedemptionStatus, RewardKind } from "@omnihall/proto/omnihall/billing/v1/points";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { ConsentAction, ConsentState } from "@omnihall/proto/omnihall/notify/v1/notify";
import type { FastifyInstance, FastifyRequest } from "fastify";
import type { WebHallClients } from "../clients.js";
import { WEB_HALL } from "../hall-name.js";
import { allowanceUnits, bucketSchema, bucketView, localized, localizedSchema } from "./shop-views.js";

const rewardKinds = enumView(RewardKind, "REWARD_KIND_");
const redemptionStatuses = enumView(RedemptionStatus, "REDEMPTION_STATUS_");
const consentStates = enumView(ConsentState, "CONSENT_STATE_");
const consentActions = enumView(ConsentAction, "CONSENT_ACTION_");

const consentSchema = {
  type: "object",
  required: ["state", "records"],
  properties: {
    state: { type: "string", enum: [...consentStates.names] },
    records: {
      type: "array",
      items: {
        type: "object",
        properties: {
          action: { type: "string" },
          channel: { type: "string" },
          createTime: { type: "string", format: "date-time" },
        },
      },
    },
  },
} as const;

/**
 * Usage, points and marketing consent: the subscriber's own account care. Remaining allowances are usage's
 * figures, points and rewards billing's, consent notify's; the hall shows them and passes choices on.
 */
export async function careRoutes(app: FastifyInstance, { clients }: { clients: WebHallClients }) {
  app.addHook("onRequest", requireSession("subscriber"));
  const subscriberOf = (request: FastifyRequest) => partyOf(request, "subscriber").subscriberId;

  app.get(
    "/v1/me/usage",
    {
      schema: {
        summary: "Allowances valid now: quota, used and remaining per bucket (data in KB, voice in seconds)",
        tags: ["usage"],
        security: SESSION_SECURITY,
        response: {
          200: {
            type: "object",
            required: ["month", "buckets"],
            properties: { month: { type: "string" }, buckets: { type: "array", items: bucketSchema } },
          },
        },
      },
    },
    async (request) => {
      const summary = await clients.usage.getUsageSummary(
        { subscriberId: subscriberOf(request), asOfTime: undefined },
        callOptions(request),
      );
      return { month: summary.month, buckets: summary.buckets.map(bucketView) };
    },
  );

  app.get<{ Querystring: { days?: number } }>(
    "/v1/me/usage/daily",
    {
      schema: {
        summary: "Usage per day of the subscriber's time zone and unit, newest day first (usage's own totals)",
        tags: ["usage"],
        security: SESSION_SECURITY,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { days: { type: "integer", minimum: 1, maximum: 92 } },
        },
        response: {
          200: {
            type: "object",
            required: ["timeZone", "days"],
            properties: {
              timeZone: { type: "string" },
              days: {
                type: "array",
                items: {
                  type: "object",
                  required: ["date", "unit", "quantity", "roamingQuantity"],
                  properties: {
                    date: { type: "string", description: "YYYY-MM-DD" },
                    unit: { type: "string", enum: [...allowanceUnits.names] },
                    quantity: { type: "integer" },
                    roamingQuantity: { type: "integer" },
                  },
                },
              },
            },
          },
        },
      },
    },
    async (request) => {
      const report = await clients.usage.getDailyUsage(
        { subscriberId: subscriberOf(request), days: request.query.days ?? 0 },
        callOptions(request),
      );
      return {
        timeZone: report.timeZone,
        days: report.days.map((d) => ({
          date: d.date,
          unit: allowanceUnits.nameOf(d.unit),
          quantity: Number(d.quantity),
          roamingQuantity: Number(d.roamingQuantity),
        })),
      };
    },
  );

  app.get<{ Querystring: { pageToken?: string } }>(
    "/v1/me/usage/records",
    {
      schema: {
        summary: "Usage records of the last 31 days, newest first",
        tags: ["usage"],
        security: SESSION_SECURITY,
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { pageToken: { type: "string", maxLength: 512 } },
        },
        response: {
          200: {
            type: "object",
            required: ["records"],
            properties: {
              records: {
                type: "array",
                items: {
                  type: "object",
                  required: ["recordId", "unit", "quantity", "usageTime"],
                  properties: {
                    recordId: { type: "string" },
                    unit: { type: "string" },
                    quantity: { type: "integer" },
                    usageTime: { type: "string", format: "date-time" },
                    provinceCode: { type: "string" },
                    roamingCountryCode: { type: "string" },
                  },
                },
              },
              nextPageToken: { type: "string" },
            },
          },
        },
      },
    },
    async (request) => {
      const page = await clients.usage.listUsageRecords(
        {
          subscriberId: subscriberOf(request),
          startTime: undefined,
          endTime: undefined,
          unit: 0,
          pageSize: 100,
          pageToken: request.query.pageToken ?? "",
        },
        callOptions(request),
      );
      return {
        records: page.records.map((r) => ({
          recordId: `${r.source}:${r.recordId}`,
          unit: allowanceUnits.nameOf(r.unit),
          quantity: Number(r.quantity),
          usageTime: timeOf(r.usageTime)!,
          provinceCode: r.provinceCode,
          roamingCountryCode: r.roamingCountryCode,
        })),
        nextPageToken: page.nextPageToken,
      };
    },
  );

  app.get(
    "/v1/me/points",
    {
      schema: {
        summary: "Points balance and the points that expire soonest",
        tags: ["points"],
        security: SESSION_SECURITY,
        response: {
          200: {
            type: "object",
            required: ["points", "expiringPoints"],
            properties: {
              points: { type: "integer" },
              expiringPoints: { type: "integer" },
              expireTime: { type: "string", format: "date-time" },
            },
          },
        },
      },
    },
    async (request) => {
      const balance = await clients.points.getPointsBalance(
        { subscriberId: subscriberOf(request) },
        callOptions(request),
      );
      return {
        points: Number(balance.points),
        expiringPoints: Number(balance.expiringPoints),
        expireTime: timeOf(balance.expireTime),
      };
    },
  );

  app.get(
    "/v1/me/rewards",
    {
      schema: {
        summary: "Rewards the subscriber can redeem in their province",
        tags: ["points"],
        security: SESSION_SECURITY,
        response: {
          200: {
            type: "object",
            required: ["rewards"],
            properties: {
              rewards: {
                type: "array",
                items: {
                  type: "object",
                  required: ["code", "name", "kind", "pointsCost"],
                  properties: {
                    code: { type: "string" },
                    name: localizedSchema,
                    kind: { type: "string", enum: [...rewardKinds.names] },
                    pointsCost: { type: "integer" },
                    creditFen: { type: "integer" },
                    stock: { type: "integer" },
                  },
                },
              },
            },
          },
        },
      },
    },
    async (request) => {
      const { subscriber } = await clients.customer.getSubscriber(
        { subscriberId: subscriberOf(request) },
        callOptions(request),
      );
      const page = await clients.points.listRewards(
        { provinceCode: subscriber!.provinceCode, kind: 0, pageSize: 100, pageToken: "" },
        callOptions(request),
      );
      return {
        rewards: page.rewards.map((r) => ({
          code: r.code,
          name: localized(r.name),
          kind: rewardKinds.nameOf(r.kind),
          pointsCost: Number(r.pointsCost),
          creditFen: fenOf(r.creditFen),
          stock: r.stock === undefined ? undefined : Number(r.stock),
        })),
      };
    },
  );

  app.post<{ Body: { rewardCode: string; quantity?: number } }>(
    "/v1/me/redemptions",
    {
      schema: {
        summary: "Redeem points for a reward (billing checks the balance, stock and province)",
        tags: ["points"],
        security: SESSION_SECURITY,
        headers: idempotencyKeyHeader,
        body: {
          type: "object",
          required: ["rewardCode"],
          additionalProperties: false,
          properties: {
            rewardCode: { type: "string", minLength: 1, maxLength: 64 },
            quantity: { type: "integer", minimum: 1, maximum: 99 },
          },
        },
        response: {
          201: {
            type: "object",
            required: ["redemption"],
            properties: {
              redemption: {
                type: "object",
                properties: {
                  redemptionId: { type: "string" },
                  rewardName: localizedSchema,
                  points: { type: "integer" },
                  creditFen: { type: "integer" },
                  status: { type: "string" },
                  pointsBalanceAfter: { type: "integer" },
                },
              },
            },
          },
        },
      },
    },
    async (request, reply) => {
      const { subscriber } = await clients.customer.getSubscriber(
        { subscriberId: subscriberOf(request) },
        callOptions(request),
      );
      const { redemption } = await clients.points.redeemReward(
        {
          requestId: idempotentRequestId(request, WEB_HALL),
          subscriberId: subscriberOf(request),
          rewardCode: request.body.rewardCode,
          quantity: request.body.quantity ?? 1,
          channel: Channel.CHANNEL_UNSPECIFIED,
          provinceCode: subscriber!.provinceCode,
        },
        callOptions(request),
      );
      return reply.code(201).send({
        redemption: {
          redemptionId: redemption!.redemptionId,
          rewardName: localized(redemption!.rewardName),
          points: Number(redemption!.points),
          creditFen: fenOf(redemption!.creditFen),
          status: redemptionStatuses.nameOf(redemption!.status),
          pointsBalanceAfter: Number(redemption!.pointsBalanceAfter),
        },
      });
    },
  );

  const consentView = (consent: {
    state: ConsentState;
    records: { action: ConsentAction; channel: Channel; createTime?: Date }[];
  }) => ({
    state: consentStates.nameOf(consent.state),
    records: consent.records.map((r) => ({
      action: consentActions.nameOf(r.action),
      channel: Channel[r.channel]?.replace("CHANNEL_", "") ?? "UNSPECIFIED",
      createTime: timeOf(r.createTime),
    })),
  });

  app.get(
    "/v1/me/marketing-consent",
    {
      schema: {
        summary: "Whether the subscriber agreed to marketing messages, with the latest changes",
        tags: ["consent"],
        security: SESSION_SECURITY,
        response: { 200: consentSchema },
      },
    },
    async (request) => {
      const { consent } = await clients.notify.getConsent(
        { subscriberId: subscriberOf(request) },
        callOptions(request),
      );
      return consentView(consent!);
    },
  );

  app.put<{ Body: { granted: boolean } }>(
    "/v1/me/marketing-consent",
    {
      schema: {
        summary: "Agree to marketing messages (granted: true) or opt out (false)",
        tags: ["consent"],
        security: SESSION_SECURITY,
        headers: idempotencyKeyHeader,
        body: {
          type: "object",
          required: ["granted"],
          additionalProperties: false,
          properties: { granted: { type: "boolean" } },
        },
        response: { 200: consentSchema },
      },
    },
    async (request) => {
      const requestId = idempotentRequestId(request, WEB_HALL);
      const subscriberId = subscriberOf(request);
      // What proves it: the subscriber's own switch on the logged-in consent page.
      const evidence = "web-hall consent page, switched by the logged-in subscriber";
      const answer = request.body.granted
        ? await clients.notify.recordConsent(
            { requestId, subscriberId, channel: Channel.CHANNEL_UNSPECIFIED, evidence },
            callOptions(request),
          )
        : await clients.notify.optOut(
            { requestId, subscriberId, channel: Channel.CHANNEL_UNSPECIFIED, evidence },
            callOptions(request),
          );
      return consentView(answer.consent!);
    },
  );
}
