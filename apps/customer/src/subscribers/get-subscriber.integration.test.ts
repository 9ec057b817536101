import { SubscriberStatus } from "@omnihall/proto/omnihall/customer/v1/customer";
import { describe, expect, it } from "vitest";
import { callFailure as failure } from "../testing/call-failure.js";
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
});
