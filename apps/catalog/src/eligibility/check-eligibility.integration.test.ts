import { status } from "@grpc/grpc-js";
import { ServiceCallError } from "@omnihall/channel-client";
import { CheckEligibilityRequest, SubscriberFacts } from "@omnihall/proto/omnihall/catalog/v1/catalog";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { describe, expect, it } from "vitest";
import { startTestCatalog } from "../testing.js";

const subscriber = (facts: Partial<SubscriberFacts> = {}) =>
  SubscriberFacts.fromPartial({
    subscriberId: "sub_demo000001",
    provinceCode: "GD",
    planCode: "PLAN_5G_59",
    tenureMonths: 30,
    heldOfferingCodes: ["PLAN_5G_59"],
    ...facts,
  });

describe("CheckEligibility over gRPC", () => {
  it("says yes with the offering to snapshot, or no with every reason", async () => {
    const { client } = await startTestCatalog();
    const yes = await client.checkEligibility(
      CheckEligibilityRequest.fromPartial({
        offeringCode: "VAS_CALL_FORWARDING",
        channel: Channel.CHANNEL_WEB_HALL,
        subscriber: subscriber(),
        settings: { condition: "BUSY", forward_to: "13900139000" },
      }),
    );
    expect(yes.eligible).toBe(true);
    expect(yes.violations).toEqual([]);
    expect(yes.offering!.priceFen).toBe(300n);

    const no = await client.checkEligibility(
      CheckEligibilityRequest.fromPartial({
        offeringCode: "DATA_5G_BOOST_30GB",
        channel: Channel.CHANNEL_SMS_HALL,
        subscriber: subscriber({ planCode: "PLAN_4G_19", heldOfferingCodes: ["PLAN_4G_19"] }),
      }),
    );
    expect(no.eligible).toBe(false);
    expect(no.violations.map((violation) => violation.reason)).toEqual(["PLAN_NOT_COMPATIBLE"]);
    expect(no.violations[0]!.message!.zhCn).toContain("套餐");
  });

  it("knows the exclusive groups of the offerings a subscriber holds", async () => {
    const { client } = await startTestCatalog();
    const ask = (offeringCode: string, heldOfferingCodes: string[]) =>
      client.checkEligibility(
        CheckEligibilityRequest.fromPartial({
          offeringCode,
          channel: Channel.CHANNEL_MINI_HALL,
          subscriber: subscriber({ heldOfferingCodes }),
        }),
      );
    const second = await ask("BB_1000M_NEW", ["PLAN_5G_59", "BB_300M_NEW"]);
    expect(second.violations.map((violation) => violation.reason)).toEqual(["EXCLUSIVE_OFFERING_HELD"]);
    expect((await ask("BB_1000M_NEW", ["PLAN_5G_59"])).eligible).toBe(true);
    // The boost and its trial share a group: holding the trial rules out buying the boost too.
    const boost = await ask("DATA_5G_BOOST_30GB", ["PLAN_5G_59", "TRIAL_5G_BOOST_7D"]);
    expect(boost.violations.map((violation) => violation.reason)).toEqual(["EXCLUSIVE_OFFERING_HELD"]);
  });

  it("refuses questions it cannot answer", async () => {
    const { client } = await startTestCatalog();
    const ask = async (request: Partial<CheckEligibilityRequest>) => {
      const error = await client
        .checkEligibility(
          CheckEligibilityRequest.fromPartial({
            offeringCode: "DATA_1GB_1D",
            channel: Channel.CHANNEL_WEB_HALL,
            subscriber: subscriber(),
            ...request,
          }),
        )
        .then(
          () => undefined,
          (thrown: unknown) => thrown,
        );
      expect(error).toBeInstanceOf(ServiceCallError);
      return [(error as ServiceCallError).code, (error as ServiceCallError).reason];
    };
    expect(await ask({ offeringCode: "NOPE_NOPE" })).toEqual([status.NOT_FOUND, "OFFERING_NOT_FOUND"]);
    expect(await ask({ channel: Channel.CHANNEL_UNSPECIFIED })).toEqual([status.INVALID_ARGUMENT, "CHANNEL_INVALID"]);
    expect(await ask({ subscriber: subscriber({ provinceCode: "" }) })).toEqual([
      status.INVALID_ARGUMENT,
      "PROVINCE_CODE_UNKNOWN",
    ]);
    expect(await ask({ subscriber: subscriber({ tenureMonths: -3 }) })).toEqual([
      status.INVALID_ARGUMENT,
      "TENURE_NEGATIVE",
    ]);
  });
});
