import { mkdirSync } from "node:fs";
import { Kvm } from "@nats-io/kv";
import { connect } from "@nats-io/transport-node";
import { demoCampaignSpec, operator, startTestCampaignService } from "@omnihall/campaign/testing";
import { demoSubscribers } from "@omnihall/demo-data";
import { uniqueSuffix } from "@omnihall/testkit";
import { launchBrowser, seriousAxeViolations } from "@omnihall/testkit/browser";
import { expect, inject, it, onTestFinished } from "vitest";
import { webHallWithPages } from "../testing/full-platform.js";
import { logInThroughPage } from "../testing/pages-tour.js";

const [shenzhener] = demoSubscribers(1);
const AUTHOR = operator("op_hq_author", ["author"]);
const APPROVER = operator("op_hq_approver", ["approver"]);

/** A KV bucket of this test's own, destroyed afterwards. */
function testBucket(): string {
  const bucket = `test-web-hall-offers-${uniqueSuffix()}`;
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

it("shows a logged-in subscriber their province's campaign (not another's) and sells it at the campaign's price", async () => {
  const bucket = testBucket();
  const campaign = await startTestCampaignService({ natsUrl: inject("natsUrl"), bucket, schedulerIntervalMs: 60_000 });
  const hall = await webHallWithPages({ campaign: { address: campaign.address, natsUrl: inject("natsUrl"), bucket } });
  const ops = campaign.client();
  // The 10 GB monthly pack (¥30.00 in the catalog) for ¥19.00 in Guangdong; the same pack in Zhejiang.
  const offer = { offeringCode: "DATA_10GB_MONTH", priceFen: 1900n, hasPrice: true, discountBps: 0 };
  for (const provinceCode of ["GD", "ZJ"]) {
    const spec = demoCampaignSpec(provinceCode, { name: `${provinceCode} 流量包特价 ${uniqueSuffix()}`, offer });
    const { campaign: created } = await ops.createCampaign(
      { requestId: `c-${uniqueSuffix()}`, spec },
      { party: AUTHOR },
    );
    const campaignId = created!.campaignId;
    await ops.submitCampaign({ requestId: `s-${uniqueSuffix()}`, campaignId }, { party: AUTHOR });
    await ops.approveCampaign({ requestId: `a-${uniqueSuffix()}`, campaignId }, { party: APPROVER });
  }

  const browser = await launchBrowser();
  onTestFinished(() => browser.close());
  const { page } = await browser.newPage({ viewport: "phone" });
  // Before login: national offers only, and these two are provincial.
  await page.goto(hall.url);
  await page.getByRole("button", { name: "获取验证码" }).waitFor();
  expect(await page.getByTestId("campaign-banner").count()).toBe(0);

  await logInThroughPage(page, hall.url, shenzhener!.msisdn, hall.lastCodeFor);
  const banner = page.getByTestId("campaign-banner");
  await banner.getByRole("article", { name: "流量包八折" }).waitFor();
  expect(await banner.getByRole("article").count()).toBe(1);
  expect(await banner.textContent()).toContain("活动价 ¥19.00");
  expect(await seriousAxeViolations(page)).toEqual([]);
  if (process.env.SCREENSHOTS_DIR) {
    mkdirSync(process.env.SCREENSHOTS_DIR, { recursive: true });
    await page.screenshot({ path: `${process.env.SCREENSHOTS_DIR}/offers-web-hall-home-phone.png`, fullPage: true });
  }

  // Buy: the order carries the campaign id, so the order engine prices it at the campaign's price.
  await banner.getByRole("button", { name: "购买 流量包八折" }).click();
  const dialog = page.getByRole("dialog", { name: "确认订购" });
  await dialog.waitFor();
  expect(await dialog.getByTestId("confirm-price").textContent()).toBe("¥19.00");
  await dialog.getByRole("button", { name: "确认并支付" }).click();
  await page.getByText(/已提交订购/).waitFor();
}, 240_000);
