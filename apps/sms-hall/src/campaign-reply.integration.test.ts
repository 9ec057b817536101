import { demoCampaignSpec, operator } from "@omnihall/campaign/testing";
import { demoSubscribers } from "@omnihall/demo-data";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { uniqueSuffix } from "@omnihall/testkit";
import { describe, expect, it } from "vitest";
import { smsHallUnderTest } from "./testing/platform-under-test.js";

// Subscribers with balances billing seeded, answered in Chinese; the first can pay for a ¥24 pack.
const chinese = demoSubscribers(20).filter((s) => s.languageCode === "zh-CN");
const buyer = chinese.find((s) => s.balanceFen >= 5000n)!;

const HQ_AUTHOR = operator("op_hq_author", ["author"]);
const HQ_APPROVER = operator("op_hq_approver", ["approver", "viewer"]);

describe("a campaign's SMS reply keyword", { timeout: 180_000 }, () => {
  it("orders the campaign's offer through Y, attributed to the campaign and the SMS hall, and the funnel counts it", async () => {
    const sms = await smsHallUnderTest({ campaign: true, env: { SMS_HALL_MESSAGES_PER_MINUTE: "120" } });
    const ops = sms.campaign!;
    // A national campaign: 10 GB this month at 20 % off (¥30 → ¥24), "reply LL8" in its SMS.
    const { campaign } = await ops.createCampaign(
      {
        requestId: `c-${uniqueSuffix()}`,
        spec: demoCampaignSpec(undefined, {
          offer: { offeringCode: "DATA_10GB_MONTH", priceFen: 0n, hasPrice: false, discountBps: 2000 },
        }),
      },
      { party: HQ_AUTHOR },
    );
    const campaignId = campaign!.campaignId;
    await ops.submitCampaign({ requestId: `s-${uniqueSuffix()}`, campaignId }, { party: HQ_AUTHOR });
    await ops.approveCampaign({ requestId: `a-${uniqueSuffix()}`, campaignId }, { party: HQ_APPROVER });

    // The reply, full-width and lower case: orders texts the campaign's price and asks for Y.
    const confirmation = await sms.text(buyer.msisdn, " ｌｌ８ ", /回复 Y \d{6}/);
    expect(confirmation).toContain("24");
    await sms.text(buyer.msisdn, "Y", /已确认订购/);

    // Orders completes it; its events reach the campaign service, which counts the order and its revenue.
    await expect
      .poll(
        async () => {
          const funnel = await ops.getCampaignFunnel({ campaignId }, { party: HQ_APPROVER });
          return funnel.channels.find((channel) => channel.channel === Channel.CHANNEL_SMS_HALL);
        },
        { timeout: 30_000, interval: 250 },
      )
      .toMatchObject({ replies: 1n, ordersPlaced: 1n, ordersCompleted: 1n, revenueFen: 2_400n });

    // A text that is no campaign's keyword is read as before.
    await sms.text(buyer.msisdn, "ZZ9", /CXYE/);
  });
});
