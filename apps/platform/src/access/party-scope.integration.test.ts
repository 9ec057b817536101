import { status } from "@grpc/grpc-js";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { BillingServiceClient } from "@omnihall/proto/omnihall/billing/v1/billing";
import { CustomerServiceClient } from "@omnihall/proto/omnihall/customer/v1/customer";
import { NotifyServiceClient } from "@omnihall/proto/omnihall/notify/v1/notify";
import { OrderServiceClient } from "@omnihall/proto/omnihall/orders/v1/orders";
import { CALLER_IDENTITIES, type ActingParty, type KnownCaller } from "@omnihall/service-kit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  OTHER_PROVINCE,
  PROTO_SERVICES,
  SUBSCRIBER_A,
  SUBSCRIBER_B,
  agentParty,
  call,
  deviceParty,
  emptyRequest,
  methodsOf,
  operatorParty,
  subscriberParty,
  type Outcome,
} from "./access-cases.js";
import { startPlatformUnderTest, type PlatformUnderTest } from "./platform-under-test.js";

let platform: PlatformUnderTest;
beforeAll(async () => {
  platform = await startPlatformUnderTest();
}, 240_000);
afterAll(() => platform?.stop());

const OUTSIDE = [status.PERMISSION_DENIED, "OUTSIDE_PARTY_SCOPE"];
const refusedAsOutside = (outcome: Outcome) => [outcome.code, outcome.reason];

/** Every RPC whose request names a subscriber (a top-level subscriber_id), found in the proto definitions. */
const SUBSCRIBER_RPCS = PROTO_SERVICES.flatMap(({ name, Client, policy }) =>
  methodsOf(Client)
    .filter(([, method]) => "subscriberId" in emptyRequest(method))
    .map(([methodName, method]) => ({ label: `${name}.${methodName}`, Client, methodName, method, policy })),
);

/** A hall allowed to call the RPC that may act for this kind of party, if any. */
function hallFor(rule: { callers: readonly KnownCaller[] }, kind: ActingParty["kind"]): KnownCaller | undefined {
  return rule.callers.find((caller) => CALLER_IDENTITIES[caller].parties.includes(kind));
}

describe.each(SUBSCRIBER_RPCS)("acting party scope of $label", ({ label, Client, methodName, method, policy }) => {
  const rule = policy?.[methodName];
  const ask = (caller: KnownCaller, party: ActingParty, subscriberId: string) =>
    call(platform, Client, methodName, caller, { ...emptyRequest(method), subscriberId }, party);

  it("a hall acting for subscriber A reaches A, never B", async () => {
    expect(rule, `${label} has no caller rule`).toBeDefined();
    const hall = hallFor(rule!, "subscriber");
    if (!hall) return; // Only services call it: no hall acts for anyone here (the matrix test checks who).
    expect(refusedAsOutside(await ask(hall, subscriberParty(), SUBSCRIBER_B.subscriberId)), label).toEqual(OUTSIDE);
    const own = await ask(hall, subscriberParty(), SUBSCRIBER_A.subscriberId);
    expect(own.reason, label).not.toBe("OUTSIDE_PARTY_SCOPE");
    expect(own.code, label).not.toBe(status.PERMISSION_DENIED);
  });

  it("an agent only inside their territory, an operator only inside their province, a kiosk alone nobody", async () => {
    const agentHall = hallFor(rule!, "agent");
    if (agentHall) {
      const outside = await ask(agentHall, agentParty(OTHER_PROVINCE), SUBSCRIBER_A.subscriberId);
      expect(refusedAsOutside(outside), `${label} by an agent elsewhere`).toEqual(OUTSIDE);
      const inside = await ask(agentHall, agentParty(), SUBSCRIBER_A.subscriberId);
      expect(inside.reason, `${label} by an agent of A's province`).not.toBe("OUTSIDE_PARTY_SCOPE");
    }
    const operatorHall = hallFor(rule!, "operator");
    if (operatorHall) {
      const outside = await ask(operatorHall, operatorParty(OTHER_PROVINCE), SUBSCRIBER_A.subscriberId);
      expect(refusedAsOutside(outside), `${label} by another province's operator`).toEqual(OUTSIDE);
      for (const scope of [SUBSCRIBER_A.provinceCode, "*"]) {
        const inside = await ask(operatorHall, operatorParty(scope), SUBSCRIBER_A.subscriberId);
        expect(inside.reason, `${label} by an operator of ${scope}`).not.toBe("OUTSIDE_PARTY_SCOPE");
      }
    }
    const deviceHall = hallFor(rule!, "device");
    if (deviceHall) {
      const alone = await ask(deviceHall, deviceParty(), SUBSCRIBER_A.subscriberId);
      expect(refusedAsOutside(alone), `${label} by a kiosk with nobody identified`).toEqual(OUTSIDE);
    }
  });
});

describe("acting for one subscriber, by number or by id", () => {
  it("GetSubscriber by another's number is refused like an unknown number", async () => {
    const web = platform.clientOf(CustomerServiceClient, "web-hall");
    const party = subscriberParty();
    const other = await call(
      platform,
      CustomerServiceClient,
      "getSubscriber",
      "web-hall",
      { msisdn: SUBSCRIBER_B.msisdn },
      party,
    );
    const nobody = await call(
      platform,
      CustomerServiceClient,
      "getSubscriber",
      "web-hall",
      { msisdn: "13912345678" },
      party,
    );
    expect(refusedAsOutside(other)).toEqual(OUTSIDE);
    expect(refusedAsOutside(nobody)).toEqual(OUTSIDE);
    const { subscriber } = await web.getSubscriber({}, { party });
    expect(subscriber?.subscriberId).toBe(SUBSCRIBER_A.subscriberId);
  });

  it("OptOut by another's number is refused; an operator's province list stays in the province", async () => {
    const optOut = (msisdn: string, caller: KnownCaller, party: ActingParty) =>
      call(
        platform,
        NotifyServiceClient,
        "optOut",
        caller,
        {
          ...emptyRequest(NotifyServiceClient.service.optOut),
          requestId: `opt-${msisdn}-${caller}`,
          msisdn,
          evidence: "TD",
        },
        party,
      );
    expect(refusedAsOutside(await optOut(SUBSCRIBER_B.msisdn, "sms-hall", subscriberParty()))).toEqual(OUTSIDE);
    expect(refusedAsOutside(await optOut(SUBSCRIBER_A.msisdn, "ops-console", operatorParty(OTHER_PROVINCE)))).toEqual(
      OUTSIDE,
    );
    expect((await optOut(SUBSCRIBER_A.msisdn, "sms-hall", subscriberParty())).ok).toBe(true);

    const ops = platform.clientOf(CustomerServiceClient, "ops-console");
    const list = { pageSize: 100, pageToken: "", provinceCode: "", city: "", planCode: "", status: 0 };
    const own = await ops.listSubscribers(list, { party: operatorParty(OTHER_PROVINCE) });
    expect(own.subscribers.length).toBeGreaterThan(0);
    expect(new Set(own.subscribers.map((subscriber) => subscriber.provinceCode))).toEqual(new Set([OTHER_PROVINCE]));
    const elsewhere = await call(
      platform,
      CustomerServiceClient,
      "listSubscribers",
      "ops-console",
      { ...list, provinceCode: SUBSCRIBER_A.provinceCode },
      operatorParty(OTHER_PROVINCE),
    );
    expect(refusedAsOutside(elsewhere)).toEqual(OUTSIDE);
  });

  it("an order read by id only by its subscriber or staff of its area", async () => {
    // Another subscriber's order (or one nobody has) is simply not found for a subscriber: ids cannot be probed.
    const ask = (caller: KnownCaller, party: ActingParty) =>
      call(
        platform,
        OrderServiceClient,
        "getOrder",
        caller,
        { orderId: "ord_0000000000000000000000000", subscriberId: "" },
        party,
      );
    expect((await ask("web-hall", subscriberParty(SUBSCRIBER_B))).reason).toBe("ORDER_NOT_FOUND");
  });
});

describe("the channel comes from the caller", () => {
  it("refuses a hall's request naming another channel", async () => {
    const refused = await call(
      platform,
      CustomerServiceClient,
      "startLogin",
      "web-hall",
      {
        requestId: "channel-test",
        msisdn: SUBSCRIBER_A.msisdn,
        channel: Channel.CHANNEL_KIOSK,
      },
      undefined,
    );
    expect([refused.code, refused.reason]).toEqual([status.PERMISSION_DENIED, "CHANNEL_MISMATCH"]);
    const orders = await call(
      platform,
      OrderServiceClient,
      "createOrder",
      "mini-hall",
      {
        ...emptyRequest(OrderServiceClient.service.createOrder),
        requestId: "channel-test-order",
        subscriberId: SUBSCRIBER_A.subscriberId,
        offeringCode: "DATA_1GB_1D",
        channel: Channel.CHANNEL_WEB_HALL,
      },
      agentParty(),
    );
    // A field agent cannot claim the web hall to skip the code sent to the subscriber's own phone.
    expect([orders.code, orders.reason]).toEqual([status.PERMISSION_DENIED, "CHANNEL_MISMATCH"]);
  });

  it("refuses billing.CreateCharge with the web hall's key", async () => {
    const refused = await call(
      platform,
      BillingServiceClient,
      "createCharge",
      "web-hall",
      {
        ...emptyRequest(BillingServiceClient.service.createCharge),
        requestId: "charge-from-web-hall",
        subscriberId: "sub_demo000002",
        orderId: "ord_made_up",
        amountFen: 1n,
      },
      subscriberParty(),
    );
    expect([refused.code, refused.reason]).toEqual([status.PERMISSION_DENIED, "CALLER_NOT_ALLOWED"]);
  });
});
