import { Kvm } from "@nats-io/kv";
import { connect } from "@nats-io/transport-node";
import { demoCampaignSpec, operator, startTestCampaignService } from "@omnihall/campaign/testing";
import { demoSubscribers } from "@omnihall/demo-data";
import { uniqueSuffix } from "@omnihall/testkit";
import { seriousAxeViolations } from "@omnihall/testkit/browser";
import { expect, inject, it, onTestFinished } from "vitest";
import { MINI_UI_ROOT } from "../app.js";
import { handheld } from "../testing/handheld.js";
import { miniHallPlatform } from "../testing/mini-platform.js";

const [shenzhener] = demoSubscribers(1);
const AUTHOR = operator("op_gd_author", ["author"], "GD");
const APPROVER = operator("op_gd_approver", ["approver"], "GD");

/** A KV bucket of this test's own, destroyed afterwards. */
function testBucket(): string {
  const bucket = `test-mini-hall-offers-${uniqueSuffix()}`;
  onTestFinished(async () => {
    const nc = await connect({ servers: inject("natsUrl") });
    try {
      await (await new Kvm(nc).open(bucket)).destroy();
    } catch {
      // never made: nothing to clean
    }
    await nc.close();
  });
  return bucket;
}

it("pitches the territory's campaign on the home screen and in the pack order form, and the order carries it", async () => {
  const bucket = testBucket();
  const campaign = await startTestCampaignService({ natsUrl: inject("natsUrl"), bucket, schedulerIntervalMs: 60_000 });
  const platform = await miniHallPlatform({
    pages: MINI_UI_ROOT,
    campaign: { address: campaign.address, natsUrl: inject("natsUrl"), bucket },
  });
  const { page } = await handheld(platform.url);
  const order = page.getByRole("form", { name: "订购流量包（需联网）" });
  await order.waitFor();

  // Launched while the agent is on the home screen: the pitch arrives without a reload.
  const ops = campaign.client();
  const name = `深圳流量包特价 ${uniqueSuffix()}`;
  const spec = demoCampaignSpec("GD", {
    name,
    offer: { offeringCode: "DATA_10GB_MONTH", priceFen: 1900n, hasPrice: true, discountBps: 0 },
  });
  const { campaign: created } = await ops.createCampaign({ requestId: `c-${uniqueSuffix()}`, spec }, { party: AUTHOR });
  const campaignId = created!.campaignId;
  await ops.submitCampaign({ requestId: `s-${uniqueSuffix()}`, campaignId }, { party: AUTHOR });
  await ops.approveCampaign({ requestId: `a-${uniqueSuffix()}`, campaignId }, { party: APPROVER });
  await page.getByTestId("campaign-pitch").getByRole("article", { name }).waitFor();
  expect(await page.getByTestId("campaign-pitch").textContent()).toContain("活动价 ¥19.00");

  // Ordering that pack for the subscriber in front of the agent: the pitch again, and the campaign on the order.
  await order.getByLabel("产品").selectOption("DATA_10GB_MONTH");
  await order.getByRole("article", { name }).waitFor();
  expect(await seriousAxeViolations(page)).toEqual([]);
  await order.getByLabel("用户手机号码").fill(shenzhener!.msisdn);
  await order.getByRole("button", { name: "发送验证码给用户" }).click();
  await page.getByRole("form", { name: "确认订购" }).waitFor();
  const taken = await platform.ordersDb.order.findFirst({ where: { campaignId } });
  expect(taken?.offeringCode).toBe("DATA_10GB_MONTH");
  // The order engine checked the campaign and sold at its price.
  expect(taken?.priceFen).toBe(1900n);
}, 180_000);
