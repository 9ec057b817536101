import { demoSubscribers } from "@omnihall/demo-data";
import { SubscriberStatus, type Subscriber } from "@omnihall/proto/omnihall/customer/v1/customer";
import { describe, expect, it } from "vitest";
import { callFailure } from "@omnihall/channel-client/testing";
import { startCustomerHarness, type CustomerHarness } from "../testing/customer-harness.js";
import { seedCustomer } from "./seed-subscribers.js";

async function listAll(
  client: CustomerHarness["client"],
  request: { provinceCode?: string; city?: string; planCode?: string; status?: SubscriberStatus; pageSize: number },
): Promise<{ subscribers: Subscriber[]; pages: number }> {
  const subscribers: Subscriber[] = [];
  let pageToken = "";
  let pages = 0;
  do {
    const page = await client.listSubscribers({
      provinceCode: "",
      city: "",
      planCode: "",
      status: SubscriberStatus.SUBSCRIBER_STATUS_UNSPECIFIED,
      ...request,
      pageToken,
    });
    subscribers.push(...page.subscribers);
    pageToken = page.nextPageToken;
    pages += 1;
  } while (pageToken !== "");
  return { subscribers, pages };
}

describe("ListSubscribers", () => {
  it("pages through the demo subscribers of a province in MSISDN order, each exactly once", async () => {
    const harness = await startCustomerHarness();
    await seedCustomer(harness.databaseUrl);
    const expected = demoSubscribers()
      .filter((demo) => demo.provinceCode === "GD")
      .map((demo) => demo.msisdn)
      .sort();

    const { subscribers, pages } = await listAll(harness.clientAs("campaigns"), { provinceCode: "gd", pageSize: 70 });
    expect(subscribers.map((subscriber) => subscriber.msisdn)).toEqual(expected);
    expect(pages).toBe(Math.ceil(expected.length / 70));
    expect(new Set(subscribers.map((subscriber) => subscriber.provinceCode))).toEqual(new Set(["GD"]));
  });

  it("combines city, plan and status filters", async () => {
    const { clientAs, addSubscriber } = await startCustomerHarness();
    const client = clientAs("campaigns");
    await addSubscriber({ msisdn: "13900000003", city: "深圳", planCode: "PLAN_5G_59" });
    await addSubscriber({ msisdn: "13900000001", city: "深圳", planCode: "PLAN_5G_59" });
    await addSubscriber({ msisdn: "13900000002", city: "深圳", planCode: "PLAN_5G_59", status: "SUSPENDED" });
    await addSubscriber({ msisdn: "13900000004", city: "广州", planCode: "PLAN_5G_59" });
    await addSubscriber({ msisdn: "13900000005", city: "深圳", planCode: "PLAN_4G_19" });
    await addSubscriber({ msisdn: "13900000006", provinceCode: "BJ", city: "北京", planCode: "PLAN_5G_59" });

    const active = await listAll(client, {
      provinceCode: "GD",
      city: "深圳",
      planCode: "PLAN_5G_59",
      status: SubscriberStatus.SUBSCRIBER_STATUS_ACTIVE,
      pageSize: 1,
    });
    expect(active.subscribers.map((subscriber) => subscriber.msisdn)).toEqual(["13900000001", "13900000003"]);

    const everyone = await client.listSubscribers({
      pageSize: 0,
      pageToken: "",
      provinceCode: "",
      city: "",
      planCode: "",
      status: SubscriberStatus.SUBSCRIBER_STATUS_UNSPECIFIED,
    });
    expect(everyone.subscribers).toHaveLength(6);
    expect(everyone.nextPageToken).toBe("");
  });

  it("refuses unknown provinces and statuses, negative page sizes, garbled tokens and tokens of other filters", async () => {
    const { clientAs, addSubscriber } = await startCustomerHarness();
    const client = clientAs("campaigns");
    await addSubscriber();
    await addSubscriber();
    const base = {
      pageSize: 1,
      pageToken: "",
      provinceCode: "GD",
      city: "",
      planCode: "",
      status: SubscriberStatus.SUBSCRIBER_STATUS_UNSPECIFIED,
    };

    const province = await callFailure(client.listSubscribers({ ...base, provinceCode: "HK" }));
    expect(province.reason).toBe("PROVINCE_UNKNOWN");
    expect(province.code).toBe(3);
    expect((await callFailure(client.listSubscribers({ ...base, status: 42 as SubscriberStatus }))).reason).toBe(
      "STATUS_UNKNOWN",
    );
    expect((await callFailure(client.listSubscribers({ ...base, pageSize: -1 }))).reason).toBe("PAGE_SIZE_INVALID");
    expect((await callFailure(client.listSubscribers({ ...base, pageToken: "not a token" }))).reason).toBe(
      "PAGE_TOKEN_INVALID",
    );

    const first = await client.listSubscribers(base);
    expect(first.nextPageToken).not.toBe("");
    const otherFilters = await callFailure(
      client.listSubscribers({ ...base, pageToken: first.nextPageToken, planCode: "PLAN_4G_19" }),
    );
    expect(otherFilters.reason).toBe("PAGE_TOKEN_INVALID");
    const second = await client.listSubscribers({ ...base, pageToken: first.nextPageToken });
    expect(second.subscribers[0]!.msisdn > first.subscribers[0]!.msisdn).toBe(true);
  });
});
