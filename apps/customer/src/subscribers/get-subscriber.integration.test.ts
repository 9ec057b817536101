import { CustomerServiceService, SubscriberStatus } from "@omnihall/proto/omnihall/customer/v1/customer";
import { batchedCalls } from "@omnihall/channel-client";
import { describe, expect, it } from "vitest";
import { callFailure as failure } from "@omnihall/channel-client/testing";
import { startCustomerHarness } from "../testing/customer-harness.js";

describe("GetSubscriber", () => {
  it("finds a subscriber by id and by MSISDN written any usual way", async () => {
    const { clientAs, addSubscriber } = await startCustomerHarness();
    const client = clientAs("orders");
    const added = await addSubscriber({ msisdn: "13800138000", status: "SUSPENDED", languageCode: "en" });

    const byId = await client.getSubscriber({ subscriberId: added.id });
    expect(byId.subscriber).toMatchObject({
      subscriberId: added.id,
      msisdn: "13800138000",
      provinceCode: "GD",
      status: SubscriberStatus.SUBSCRIBER_STATUS_SUSPENDED,
      languageCode: "en",
    });
    expect(byId.subscriber?.createTime).toBeInstanceOf(Date);
    for (const written of ["13800138000", "+86 138-0013-8000", "008613800138000"]) {
      const byMsisdn = await client.getSubscriber({ msisdn: written });
      expect(byMsisdn.subscriber?.subscriberId).toBe(added.id);
    }
  });

  it("says which part of a bad lookup is wrong, in both languages", async () => {
    const client = (await startCustomerHarness()).clientAs("notify");
    const malformedMsisdn = await failure(client.getSubscriber({ msisdn: "12345" }));
    expect(malformedMsisdn.reason).toBe("MSISDN_MALFORMED");
    expect(malformedMsisdn.messages["zh-CN"]).toContain("手机号码");
    expect(malformedMsisdn.fieldViolations[0]?.field).toBe("msisdn");

    expect((await failure(client.getSubscriber({ subscriberId: "ord_123" }))).reason).toBe("SUBSCRIBER_ID_MALFORMED");
    expect((await failure(client.getSubscriber({ subscriberId: "sub_'; DROP" }))).reason).toBe(
      "SUBSCRIBER_ID_MALFORMED",
    );
    expect((await failure(client.getSubscriber({}))).reason).toBe("LOOKUP_REQUIRED");
  });

  it("is NOT_FOUND for a well-formed number or id nobody has", async () => {
    const client = (await startCustomerHarness()).clientAs("notify");
    const byMsisdn = await failure(client.getSubscriber({ msisdn: "13912345678" }));
    expect(byMsisdn.reason).toBe("SUBSCRIBER_NOT_FOUND");
    expect(byMsisdn.code).toBe(5);
    expect((await failure(client.getSubscriber({ subscriberId: "sub_nobody" }))).reason).toBe("SUBSCRIBER_NOT_FOUND");
  });

  it("answers a batch as each texter's own call: a number finds itself, a stranger's lookup is refused alone", async () => {
    const { clientAs, addSubscriber } = await startCustomerHarness();
    const first = await addSubscriber({ msisdn: "13800138001" });
    const second = await addSubscriber({ msisdn: "13800138002" });
    const texter = (msisdn: string) => ({ kind: "subscriber" as const, subscriberId: "", msisdn });
    const getSubscriber = batchedCalls(clientAs("sms-hall").batchGetSubscribers, CustomerServiceService.getSubscriber);

    const [own, alsoOwn, someoneElse, nobody] = await Promise.allSettled([
      getSubscriber({ msisdn: "13800138001" }, { party: texter("13800138001") }),
      getSubscriber({ msisdn: "+86 138-0013-8002" }, { party: texter("13800138002") }),
      // A texter looking up another subscriber's number, and a number nobody has: refused alike.
      getSubscriber({ msisdn: "13800138002" }, { party: texter("13800138001") }),
      getSubscriber({ msisdn: "13912345678" }, { party: texter("13912345678") }),
    ]);
    expect(own).toMatchObject({ status: "fulfilled", value: { subscriber: { subscriberId: first.id } } });
    expect(alsoOwn).toMatchObject({ status: "fulfilled", value: { subscriber: { subscriberId: second.id } } });
    expect((someoneElse as PromiseRejectedResult).reason).toMatchObject({ reason: "OUTSIDE_PARTY_SCOPE" });
    expect((nobody as PromiseRejectedResult).reason).toMatchObject({ reason: "OUTSIDE_PARTY_SCOPE" });
    // Only the SMS hall batches; the web hall asks one at a time.
    const refused = await failure(clientAs("web-hall").batchGetSubscribers({ requests: [] }));
    expect(refused.reason).toBe("CALLER_NOT_ALLOWED");
  });
});
