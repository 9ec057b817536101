import { mkdirSync } from "node:fs";
import { InProcessBus } from "@omnihall/bus";
import { demoCampaignSpec, operator, startTestCampaignService } from "@omnihall/campaign/testing";
import { loadCatalogConfig, seedCatalog, startCatalogService } from "@omnihall/catalog";
import { loadCustomerConfig, seedAgents, seedCustomer, startCustomerService } from "@omnihall/customer";
import { migratedTestDatabase } from "@omnihall/db/testing";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { createLogger } from "@omnihall/service-kit";
import { uniqueSuffix } from "@omnihall/testkit";
import { launchBrowser, seriousAxeViolations } from "@omnihall/testkit/browser";
import type { Page } from "playwright-core";
import { describe, expect, inject, it, onTestFinished } from "vitest";
import { msUntil, openHallPages, startBrowserHalls, testBucket } from "./testing/browser-halls.js";

const HQ_AUTHOR = operator("op_hq_author", ["author"]);
const HQ_APPROVER = operator("op_hq_approver", ["approver"]);
const appDir = (app: string) => new URL(`../../${app}/`, import.meta.url);

/**
 * The three browser halls (see startBrowserHalls) watching the test's own live offer bucket on the test NATS, with
 * the campaign service writing it and the customer and catalog services the pages call.
 */
async function hallsUnderTest() {
  const bucket = testBucket();
  const campaign = await startTestCampaignService({ natsUrl: inject("natsUrl"), bucket, schedulerIntervalMs: 60_000 });
  const logger = createLogger("live-offers-test", { level: "silent" });
  const bus = new InProcessBus({ logger });
  const [customerDb, catalogDb] = await Promise.all(
    ["customer", "catalog"].map((app) => migratedTestDatabase(appDir(app))),
  );
  const stops: Array<() => Promise<void>> = [];
  onTestFinished(async () => {
    for (const stop of stops.reverse()) await stop();
    await bus.close();
  });
  await seedCustomer(customerDb!.url);
  await seedAgents(customerDb!.url);
  await seedCatalog(catalogDb!.url);
  const service = { PORT: "0", METRICS_PORT: "0", LOG_LEVEL: "silent", DATABASE_POOL_SIZE: "3" };
  const customer = await startCustomerService({
    config: loadCustomerConfig({ ...service, DATABASE_URL: customerDb!.url, NODE_ENV: "development" }),
    bus,
    logger,
  });
  stops.push(() => customer.stop());
  const catalog = await startCatalogService({
    config: loadCatalogConfig({ ...service, DATABASE_URL: catalogDb!.url }),
    bus,
    logger,
  });
  stops.push(() => catalog.stop());
  const halls = await startBrowserHalls({
    bucket,
    customerAddress: customer.address,
    catalogAddress: catalog.address,
    campaignAddress: campaign.address,
    logger,
  });
  return { campaign, ...halls };
}

describe("a campaign launched once shows on every hall's pages", () => {
  it("appears on the web hall, kiosk attract screen and mini hall within 1 s of the approval, leaves them within 1 s of the pause, and each page's impression (and the kiosk tap) reaches the funnel", async () => {
    const { campaign, web, kiosk, mini } = await hallsUnderTest();
    const browser = await launchBrowser();
    onTestFinished(() => browser.close());
    const [webPage, kioskPage, miniPage] = await Promise.all([
      browser.newPage({ viewport: "desktop" }).then(({ page }) => page),
      browser.newPage({ viewport: "desktop" }).then(({ page }) => page),
      browser.newPage({ viewport: "phone" }).then(({ page }) => page),
    ]);
    await openHallPages({ web, kiosk, mini }, { web: webPage, kiosk: kioskPage, mini: miniPage });

    const ops = campaign.client();
    const spec = demoCampaignSpec(undefined, { name: `全国流量包八折 ${uniqueSuffix()}` });
    const { campaign: created } = await ops.createCampaign(
      { requestId: `c-${uniqueSuffix()}`, spec },
      { party: HQ_AUTHOR },
    );
    const campaignId = created!.campaignId;
    await ops.submitCampaign({ requestId: `s-${uniqueSuffix()}`, campaignId }, { party: HQ_AUTHOR });
    // Each hall's creative: the web banner, the kiosk attract title, the agent's pitch under the campaign's name.
    const shown: Array<[string, Page, string]> = [
      ["web hall", webPage, "流量包八折"],
      ["kiosk", kioskPage, "流量包八折"],
      ["mini hall", miniPage, spec.name],
    ];

    const approved = performance.now();
    await ops.approveCampaign({ requestId: `a-${uniqueSuffix()}`, campaignId }, { party: HQ_APPROVER });
    const appeared = await Promise.all(shown.map(([, page, text]) => msUntil(page, text, "visible", approved)));
    console.log(
      `approve → visible: ${shown.map(([hall], i) => `${hall} ${appeared[i]} ms`).join(", ")} (bound 1000 ms)`,
    );
    for (const ms of appeared) expect(ms).toBeLessThanOrEqual(1_000);
    await webPage.getByText("10GB 只要 24 元").waitFor();
    await webPage.getByText("登录后即可购买。").waitFor();
    await kioskPage.getByText("点击办理").waitFor();
    await kioskPage.getByText("8折").first().waitFor();
    await miniPage.getByText("本月流量包八折").waitFor();
    for (const [hall, page] of shown) expect(await seriousAxeViolations(page), hall).toEqual([]);
    // `npm run screenshots`: each hall's page with the campaign on it.
    const shots = process.env.SCREENSHOTS_DIR;
    if (shots) {
      mkdirSync(shots, { recursive: true });
      for (const [name, page] of [
        ["offers-web-hall-login", webPage],
        ["offers-kiosk-attract", kioskPage],
        ["offers-mini-hall-home", miniPage],
      ] as const) {
        await page.screenshot({ path: `${shots}/${name}.png`, fullPage: true });
      }
    }

    const paused = performance.now();
    await ops.pauseCampaign({ requestId: `p-${uniqueSuffix()}`, campaignId }, { party: HQ_APPROVER });
    const gone = await Promise.all(shown.map(([, page, text]) => msUntil(page, text, "detached", paused)));
    console.log(`pause → gone: ${shown.map(([hall], i) => `${hall} ${gone[i]} ms`).join(", ")} (bound 1000 ms)`);
    for (const ms of gone) expect(ms).toBeLessThanOrEqual(1_000);

    // What the pages reported on their own, in the background: one impression per hall, counted by the campaign.
    const funnel = async () => {
      const { channels } = await ops.getCampaignFunnel({ campaignId }, { party: HQ_APPROVER });
      return Object.fromEntries(channels.map((c) => [c.channel, { impressions: c.impressions, clicks: c.clicks }]));
    };
    await expect.poll(funnel, { timeout: 10_000, interval: 200 }).toMatchObject({
      [Channel.CHANNEL_WEB_HALL]: { impressions: 1n },
      [Channel.CHANNEL_KIOSK]: { impressions: 1n },
      [Channel.CHANNEL_MINI_HALL]: { impressions: 1n },
    });
    // Back on: a tap on the kiosk's offer starts the screen and counts as a click.
    await ops.resumeCampaign({ requestId: `r-${uniqueSuffix()}`, campaignId }, { party: HQ_APPROVER });
    await kioskPage.getByRole("button", { name: "立即办理" }).click();
    await kioskPage.getByRole("button", { name: "刷身份证" }).waitFor();
    await expect
      .poll(funnel, { timeout: 10_000, interval: 200 })
      .toMatchObject({ [Channel.CHANNEL_KIOSK]: { clicks: 1n } });
  }, 180_000);
});
