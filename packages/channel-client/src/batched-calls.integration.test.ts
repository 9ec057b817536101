import { status as GrpcStatus } from "@grpc/grpc-js";
import {
  BatchGetSubscribersRequest,
  CustomerServiceClient,
  CustomerServiceService,
  GetSubscriberRequest,
  type GetSubscriberResponse,
} from "@omnihall/proto/omnihall/customer/v1/customer";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { MAX_BATCH_ITEMS, startService, type ActingParty, type CallContext } from "@omnihall/service-kit";
import { captureLogs, customerServiceDouble, TEST_CALLERS, TEST_DOMAIN } from "@omnihall/service-kit/testing";
import { describe, expect, it, onTestFinished } from "vitest";
import { callFailure as failure } from "./testing.js";
import { batchedCalls, createServiceClient, ServiceCallError } from "./index.js";

/** The name an item's error carries: the single method's. */
const GET_SUBSCRIBER = "omnihall.customer.v1.CustomerService/GetSubscriber";
const smsHallOnly = { callers: ["sms-hall"] } as const;

/** A customer double whose GetSubscriber (single and batched) records what each call saw; the SMS hall may call. */
async function serve() {
  const { logger, entries } = captureLogs("service");
  const seen: Array<{ msisdn: string | undefined; party: ActingParty | undefined; channel: Channel }> = [];
  const double = customerServiceDouble(
    {
      getSubscriber: async (request: GetSubscriberRequest, ctx: CallContext): Promise<GetSubscriberResponse> => {
        seen.push({ msisdn: request.msisdn, party: ctx.party, channel: ctx.channel });
        if (request.msisdn === "13800000099") throw new Error("a bug in the handler");
        return customerServiceDouble().handlers.getSubscriber(request, ctx);
      },
    },
    { getSubscriber: smsHallOnly, batchGetSubscribers: smsHallOnly },
  );
  const service = await startService({
    name: "test",
    domain: TEST_DOMAIN,
    port: 0,
    services: [double],
    callers: TEST_CALLERS,
    logger,
  });
  onTestFinished(service.stop);
  const client = createServiceClient(CustomerServiceClient, {
    address: service.address,
    caller: "sms-hall",
    credential: TEST_CALLERS.get("sms-hall")!,
  });
  onTestFinished(() => client.close());
  const batchCalls = () =>
    entries.filter((entry) => entry.msg === "rpc finished" && /BatchGet/.test(String(entry.rpc)));
  return { client, seen, logs: entries, batchCalls };
}

const texter = (msisdn: string): ActingParty => ({ kind: "subscriber", subscriberId: "", msisdn });

describe("batchedCalls", () => {
  it("sends calls made together as one batch call, each answered or refused as its own call would be", async () => {
    const { client, seen, logs, batchCalls } = await serve();
    const getSubscriber = batchedCalls(client.batchGetSubscribers, CustomerServiceService.getSubscriber);
    const numbers = ["13800000001", "13800000003", "13800000077", "138", "13800000099"];

    const outcomes = await Promise.allSettled(
      numbers.map((msisdn) => getSubscriber({ msisdn }, { party: texter(msisdn) })),
    );

    expect(batchCalls()).toHaveLength(1);
    // Each item ran with its own party, and the caller's channel.
    expect(seen).toEqual(
      numbers.map((msisdn) => ({ msisdn, party: texter(msisdn), channel: Channel.CHANNEL_SMS_HALL })),
    );
    const [first, second, unknown, malformed, broken] = outcomes;
    expect(first).toMatchObject({ status: "fulfilled", value: { subscriber: { msisdn: "13800000001" } } });
    expect(second).toMatchObject({ status: "fulfilled", value: { subscriber: { msisdn: "13800000003" } } });
    const notFoundError = (unknown as PromiseRejectedResult).reason as ServiceCallError;
    expect(notFoundError).toBeInstanceOf(ServiceCallError);
    expect(notFoundError).toMatchObject({
      code: GrpcStatus.NOT_FOUND,
      reason: "SUBSCRIBER_NOT_FOUND",
      domain: TEST_DOMAIN,
      messages: { "zh-CN": "用户不存在。", en: "No such subscriber." },
      rpc: GET_SUBSCRIBER,
    });
    const malformedError = (malformed as PromiseRejectedResult).reason as ServiceCallError;
    expect(malformedError).toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT, reason: "MSISDN_MALFORMED" });
    expect(malformedError.fieldViolations.map((violation) => violation.field)).toEqual(["msisdn"]);
    // A handler's bug is that item's INTERNAL, with the cause in the service's log only.
    const brokenError = (broken as PromiseRejectedResult).reason as ServiceCallError;
    expect(brokenError).toMatchObject({ code: GrpcStatus.INTERNAL, reason: "INTERNAL" });
    expect(brokenError.message).not.toMatch(/a bug/);
    expect(logs.find((entry) => entry.msg === "unexpected error")).toMatchObject({ item: 4 });
  });

  it("sends calls made one after another one by one, without waiting for company", async () => {
    const { client, batchCalls } = await serve();
    const getSubscriber = batchedCalls(client.batchGetSubscribers, CustomerServiceService.getSubscriber);
    for (const msisdn of ["13800000001", "13800000002", "13800000003"]) {
      expect((await getSubscriber({ msisdn }, { party: texter(msisdn) })).subscriber?.msisdn).toBe(msisdn);
    }
    expect(batchCalls()).toHaveLength(3);
  });

  it("splits more calls than a batch takes, and gathers calls made while batches run", async () => {
    const { client, batchCalls } = await serve();
    const getSubscriber = batchedCalls(client.batchGetSubscribers, CustomerServiceService.getSubscriber, {
      maxItems: 4,
      maxInFlight: 1,
    });
    const answers = await Promise.all(
      Array.from({ length: 10 }, () => getSubscriber({ msisdn: "13800000001" }, { party: texter("13800000001") })),
    );
    expect(answers).toHaveLength(10);
    expect(batchCalls()).toHaveLength(3);
  });

  it("refuses an item acting for a party its caller may not assert, and not the others", async () => {
    const { client } = await serve();
    const getSubscriber = batchedCalls(client.batchGetSubscribers, CustomerServiceService.getSubscriber);
    const agent: ActingParty = { kind: "agent", agentId: "agt_1", territory: { provinceCode: "GD" } };
    const [texted, claimed] = await Promise.allSettled([
      getSubscriber({ msisdn: "13800000001" }, { party: texter("13800000001") }),
      getSubscriber({ msisdn: "13800000002" }, { party: agent }),
    ]);
    expect(texted.status).toBe("fulfilled");
    expect((claimed as PromiseRejectedResult).reason).toMatchObject({
      code: GrpcStatus.PERMISSION_DENIED,
      reason: "PARTY_KIND_NOT_ALLOWED",
    });
  });

  it("refuses a whole batch that is too large, or whose parties are not one per item", async () => {
    const { client } = await serve();
    const requests = (n: number) =>
      BatchGetSubscribersRequest.fromPartial({
        requests: Array.from({ length: n }, () => GetSubscriberRequest.fromPartial({ msisdn: "13800000001" })),
      });
    const party = texter("13800000001");
    const tooLarge = await failure(
      client.batchGetSubscribers(requests(MAX_BATCH_ITEMS + 1), { parties: Array(MAX_BATCH_ITEMS + 1).fill(party) }),
    );
    expect(tooLarge).toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT, reason: "BATCH_TOO_LARGE" });
    const mismatched = await failure(client.batchGetSubscribers(requests(2), { parties: [party] }));
    expect(mismatched).toMatchObject({ code: GrpcStatus.UNAUTHENTICATED, reason: "ACTING_PARTY_INVALID" });
    // A hall's items must each act for someone.
    const { results } = await client.batchGetSubscribers(requests(1));
    expect(results[0]?.error?.code).toBe(GrpcStatus.UNAUTHENTICATED);
  });

  it("lets an item's signal end its own wait", async () => {
    const { client } = await serve();
    const getSubscriber = batchedCalls(client.batchGetSubscribers, CustomerServiceService.getSubscriber);
    const aborted = new AbortController();
    aborted.abort();
    const error = await failure(getSubscriber({ msisdn: "13800000001" }, { signal: aborted.signal }));
    expect(error.code).toBe(GrpcStatus.CANCELLED);
  });
});
