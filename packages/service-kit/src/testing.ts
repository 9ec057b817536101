/**
 * Test doubles for exercising the kit and the channel client over real sockets: a CustomerService with canned
 * in-memory subscribers, a small streaming service built from customer messages, and a log capture. They stand
 * in for a domain service only to test the plumbing; domain tests use the real services.
 */
import { makeGenericClientConstructor, type ChannelCredentials, type Client, type ClientOptions } from "@grpc/grpc-js";
import { developmentCallerKey, type CallerKeys } from "@omnihall/config";
import {
  CustomerServiceService,
  type GetSubscriberRequest,
  type GetSubscriberResponse,
  ListSubscribersRequest,
  ListSubscribersResponse,
  Subscriber,
  SubscriberStatus,
} from "@omnihall/proto/omnihall/customer/v1/customer";
import { z } from "zod";
import type { CallPolicy, CallRule } from "./access/policy.js";
import { batchOf } from "./batch.js";
import { invalidArgument, notFound } from "./domain-error.js";
import { createLogger, type Logger } from "./logger.js";
import { decodePageToken, encodePageToken, pageSize } from "./page-token.js";
import type { ServiceHandlers, ServiceRegistration } from "./service-definition.js";

export const TEST_DOMAIN = "customer.omnihall";

/** Callers a test service accepts: the development keys of two halls. */
export const TEST_CALLERS: CallerKeys = new Map(
  ["web-hall", "sms-hall"].map((name) => [name, developmentCallerKey(name)]),
);

/** A logger whose JSON lines a test can read back. */
export function captureLogs(name = "test"): { logger: Logger; entries: Array<Record<string, unknown>> } {
  const entries: Array<Record<string, unknown>> = [];
  const logger = createLogger(name, {
    level: "debug",
    destination: { write: (line: string) => entries.push(JSON.parse(line) as Record<string, unknown>) },
  });
  return { logger, entries };
}

function subscriber(
  msisdn: string,
  provinceCode: string,
  city: string,
  status = SubscriberStatus.SUBSCRIBER_STATUS_ACTIVE,
) {
  return Subscriber.fromPartial({
    subscriberId: `sub_${msisdn}`,
    msisdn,
    displayName: `User ${msisdn.slice(-4)}`,
    provinceCode,
    city,
    planCode: "PLAN_5G_129",
    status,
    languageCode: "zh-CN",
    timeZone: "Asia/Shanghai",
    createTime: new Date("2024-01-01T00:00:00Z"),
  });
}

/** Canned subscribers in MSISDN order. */
export const CANNED_SUBSCRIBERS: readonly Subscriber[] = [
  subscriber("13800000001", "GD", "Guangzhou"),
  subscriber("13800000002", "GD", "Shenzhen"),
  subscriber("13800000003", "BJ", "Beijing"),
  subscriber("13800000004", "GD", "Guangzhou", SubscriberStatus.SUBSCRIBER_STATUS_SUSPENDED),
  subscriber("13800000005", "GD", "Foshan"),
];

const MSISDN = /^1\d{10}$/;

function listCanned(request: ListSubscribersRequest): ListSubscribersResponse {
  const filters = {
    provinceCode: request.provinceCode,
    city: request.city,
    planCode: request.planCode,
    status: request.status,
  };
  const size = pageSize(request.pageSize, { default: 2, max: 3 });
  const after = decodePageToken(request.pageToken, z.object({ msisdn: z.string() }), filters);
  const matching = CANNED_SUBSCRIBERS.filter(
    (candidate) =>
      (!filters.provinceCode || candidate.provinceCode === filters.provinceCode) &&
      (!filters.city || candidate.city === filters.city) &&
      (!filters.planCode || candidate.planCode === filters.planCode) &&
      (!filters.status || candidate.status === filters.status) &&
      (!after || candidate.msisdn > after.msisdn),
  );
  const page = matching.slice(0, size);
  const last = page.at(-1);
  return {
    subscribers: page,
    nextPageToken: matching.length > size && last ? encodePageToken({ msisdn: last.msisdn }, filters) : "",
  };
}

/** GetSubscriber over CANNED_SUBSCRIBERS. */
async function getCanned(request: GetSubscriberRequest): Promise<GetSubscriberResponse> {
  if (request.msisdn !== undefined && !MSISDN.test(request.msisdn)) {
    throw invalidArgument(
      "MSISDN_MALFORMED",
      { "zh-CN": "手机号码格式不正确。", en: "The phone number is malformed." },
      {
        metadata: { msisdn: request.msisdn },
        fieldViolations: [
          {
            field: "msisdn",
            reason: "MSISDN_MALFORMED",
            messages: { "zh-CN": "应为 11 位数字。", en: "Must be 11 digits." },
          },
        ],
      },
    );
  }
  const found = CANNED_SUBSCRIBERS.find(
    (candidate) => candidate.msisdn === request.msisdn || candidate.subscriberId === request.subscriberId,
  );
  if (!found) {
    throw notFound("SUBSCRIBER_NOT_FOUND", { "zh-CN": "用户不存在。", en: "No such subscriber." });
  }
  return { subscriber: found };
}

/** Every test caller may call every method of the doubles, acting for nobody: they test the plumbing. */
const OPEN_TO_TEST_CALLERS: CallRule = { callers: ["web-hall", "sms-hall"], anonymous: true };

/** CustomerService over CANNED_SUBSCRIBERS; pass handlers to replace any method for one test. */
export function customerServiceDouble(
  overrides: Partial<ServiceHandlers<typeof CustomerServiceService>> = {},
  policy: Partial<CallPolicy<typeof CustomerServiceService>> = {},
): ServiceRegistration<typeof CustomerServiceService> {
  return {
    definition: CustomerServiceService,
    policy: {
      getSubscriber: OPEN_TO_TEST_CALLERS,
      batchGetSubscribers: OPEN_TO_TEST_CALLERS,
      listSubscribers: OPEN_TO_TEST_CALLERS,
      startLogin: OPEN_TO_TEST_CALLERS,
      verifyLogin: OPEN_TO_TEST_CALLERS,
      ...policy,
    },
    handlers: {
      getSubscriber: getCanned,
      batchGetSubscribers: batchOf((request, ctx) => (overrides.getSubscriber ?? getCanned)(request, ctx)),
      listSubscribers: async (request) => listCanned(request),
      startLogin: async () => ({
        expireTime: new Date(Date.now() + 300_000),
        resendTime: new Date(Date.now() + 60_000),
      }),
      verifyLogin: async (request) => ({ subscriber: CANNED_SUBSCRIBERS.find((c) => c.msisdn === request.msisdn) }),
      ...overrides,
    },
  };
}

/**
 * A streaming service made of customer messages, defined the way ts-proto defines services, for the streaming
 * paths of the kit and the client (no Omnihall contract streams yet). Not in the .proto contract, so server
 * reflection does not describe it.
 */
export const SubscriberStreamService = {
  exportSubscribers: {
    path: "/omnihall.testing.v1.SubscriberStreamService/ExportSubscribers" as const,
    requestStream: false as const,
    responseStream: true as const,
    requestSerialize: (value: ListSubscribersRequest): Buffer =>
      Buffer.from(ListSubscribersRequest.encode(value).finish()),
    requestDeserialize: (value: Buffer): ListSubscribersRequest => ListSubscribersRequest.decode(value),
    responseSerialize: (value: Subscriber): Buffer => Buffer.from(Subscriber.encode(value).finish()),
    responseDeserialize: (value: Buffer): Subscriber => Subscriber.decode(value),
  },
  importSubscribers: {
    path: "/omnihall.testing.v1.SubscriberStreamService/ImportSubscribers" as const,
    requestStream: true as const,
    responseStream: false as const,
    requestSerialize: (value: Subscriber): Buffer => Buffer.from(Subscriber.encode(value).finish()),
    requestDeserialize: (value: Buffer): Subscriber => Subscriber.decode(value),
    responseSerialize: (value: ListSubscribersResponse): Buffer =>
      Buffer.from(ListSubscribersResponse.encode(value).finish()),
    responseDeserialize: (value: Buffer): ListSubscribersResponse => ListSubscribersResponse.decode(value),
  },
} as const;

/** The grpc-js client class for SubscriberStreamService, as ts-proto would generate it. */
export const SubscriberStreamServiceClient = makeGenericClientConstructor(
  SubscriberStreamService,
  "omnihall.testing.v1.SubscriberStreamService",
) as unknown as {
  new (address: string, credentials: ChannelCredentials, options?: Partial<ClientOptions>): Client;
  service: typeof SubscriberStreamService;
  serviceName: string;
};

/** Streams the canned subscribers matching a province; collects imported ones into a list. */
export function subscriberStreamDouble(): ServiceRegistration<typeof SubscriberStreamService> {
  return {
    definition: SubscriberStreamService,
    policy: { exportSubscribers: OPEN_TO_TEST_CALLERS, importSubscribers: OPEN_TO_TEST_CALLERS },
    handlers: {
      async *exportSubscribers(request) {
        for (const candidate of CANNED_SUBSCRIBERS) {
          if (!request.provinceCode || candidate.provinceCode === request.provinceCode) yield candidate;
        }
      },
      importSubscribers: async (requests) => {
        const subscribers: Subscriber[] = [];
        for await (const imported of requests) {
          if (!MSISDN.test(imported.msisdn)) {
            throw invalidArgument("MSISDN_MALFORMED", {
              "zh-CN": "手机号码格式不正确。",
              en: "The phone number is malformed.",
            });
          }
          subscribers.push(imported);
        }
        return { subscribers, nextPageToken: "" };
      },
    },
  };
}
