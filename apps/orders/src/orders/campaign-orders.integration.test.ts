import { status } from "@grpc/grpc-js";
import { demoCampaignSpec, operator, startTestCampaignService } from "@omnihall/campaign/testing";
import type { CampaignSpec } from "@omnihall/proto/omnihall/campaign/v1/campaign";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { OrderState, type CreateOrderRequest } from "@omnihall/proto/omnihall/orders/v1/orders";
import { uniqueSuffix } from "@omnihall/testkit";
import { describe, expect, it } from "vitest";
import { startOrdersHarness } from "../testing/orders-harness.js";
import { expectCallError, finalOrder, GD_5G, orderRequest } from "../testing/expectations.js";

const GD_AUTHOR = operator("op_gd_author", ["author"], "GD");
const GD_APPROVER = operator("op_gd_approver", ["approver"], "GD");
const ZJ_AUTHOR = operator("op_zj_author", ["author"], "ZJ");
const ZJ_APPROVER = operator("op_zj_approver", ["approver"], "ZJ");

const request = (patch: Partial<CreateOrderRequest>) => orderRequest({ offeringCode: "DATA_10GB_MONTH", ...patch });

describe("orders from a campaign", () => {
  it("checks the campaign id with the campaign service, charges the campaign's price, and lists by campaign", async () => {
    const campaigns = await startTestCampaignService();
    const ops = campaigns.client();
    const offer = { offeringCode: "DATA_10GB_MONTH", priceFen: 0n, hasPrice: false, discountBps: 2000 };
    const create = async (province: string, overrides: Partial<CampaignSpec>, launch: boolean) => {
      const [author, approver] = province === "GD" ? [GD_AUTHOR, GD_APPROVER] : [ZJ_AUTHOR, ZJ_APPROVER];
      const { campaign } = await ops.createCampaign(
        { requestId: `c-${uniqueSuffix()}`, spec: demoCampaignSpec(province, { offer, ...overrides }) },
        { party: author },
      );
      const campaignId = campaign!.campaignId;
      if (launch) {
        await ops.submitCampaign({ requestId: `s-${uniqueSuffix()}`, campaignId }, { party: author });
        await ops.approveCampaign({ requestId: `a-${uniqueSuffix()}`, campaignId }, { party: approver });
      }
      return campaignId;
    };
    const live = await create("GD", {}, true);
    const draft = await create("GD", {}, false);
    const elsewhere = await create("ZJ", {}, true);
    const webOnly = await create(
      "GD",
      { channels: demoCampaignSpec("GD").channels.filter((c) => c.channel === Channel.CHANNEL_WEB_HALL) },
      true,
    );

    const harness = await startOrdersHarness({ CAMPAIGN_ADDRESS: campaigns.address });
    await harness.openAccount(GD_5G, 100_00n);

    const { order } = await harness.client.createOrder(request({ campaignId: live }));
    // 20 % off the catalog's 30 yuan.
    expect(order).toMatchObject({ campaignId: live, priceFen: 2_400n, state: OrderState.ORDER_STATE_PENDING });
    await harness.client.createOrder(request({}));

    const listed = await harness.client.listOrders({
      subscriberId: "",
      states: [],
      channel: Channel.CHANNEL_UNSPECIFIED,
      campaignId: live,
      pageSize: 0,
      pageToken: "",
    });
    expect(listed.orders.map((o) => o.orderId)).toEqual([order!.orderId]);
    await expectCallError(
      harness.client.listOrders({
        subscriberId: "",
        states: [],
        channel: 0,
        campaignId: "spring",
        pageSize: 0,
        pageToken: "",
      }),
      status.INVALID_ARGUMENT,
      "CAMPAIGN_ID_MALFORMED",
    );

    // Completed, the order (and so its events) still carries the campaign.
    await harness.client.confirmOrder({
      requestId: `cf-${uniqueSuffix()}`,
      subscriberId: GD_5G,
      orderId: order!.orderId,
      confirmationCode: "",
    });
    const done = await finalOrder(harness, order!.orderId, GD_5G);
    expect(done.state).toBe(OrderState.ORDER_STATE_COMPLETED);
    expect(done.campaignId).toBe(live);

    const refused: Array<[Partial<CreateOrderRequest>, number, string]> = [
      [{ campaignId: "spring" }, status.INVALID_ARGUMENT, "CAMPAIGN_ID_MALFORMED"],
      [{ campaignId: "cmp_nosuchcampaign" }, status.INVALID_ARGUMENT, "CAMPAIGN_NOT_FOUND"],
      [{ campaignId: live, offeringCode: "DATA_1GB_1D" }, status.INVALID_ARGUMENT, "CAMPAIGN_OFFERING_MISMATCH"],
      [
        { campaignId: webOnly, channel: Channel.CHANNEL_SMS_HALL },
        status.INVALID_ARGUMENT,
        "CAMPAIGN_CHANNEL_MISMATCH",
      ],
      [{ campaignId: draft }, status.FAILED_PRECONDITION, "CAMPAIGN_NOT_LIVE"],
      [{ campaignId: elsewhere }, status.FAILED_PRECONDITION, "CAMPAIGN_NOT_FOR_SUBSCRIBER"],
    ];
    for (const [patch, code, reason] of refused) {
      await expectCallError(harness.client.createOrder(request(patch)), code, reason);
    }
  });

  it("answers UNAVAILABLE when the campaign service cannot be asked", async () => {
    const harness = await startOrdersHarness({ CAMPAIGN_ADDRESS: "127.0.0.1:1", DEPENDENCY_DEADLINE_MS: "1000" });
    await expectCallError(
      harness.client.createOrder(request({ campaignId: "cmp_anything" })),
      status.UNAVAILABLE,
      "DEPENDENCY_UNAVAILABLE",
    );
  });
});
