import { mkdirSync } from "node:fs";
import { InteractionKind } from "@omnihall/proto/omnihall/campaign/v1/campaign";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { launchBrowser, seriousAxeViolations } from "@omnihall/testkit/browser";
import type { Page } from "playwright-core";
import { expect, it, onTestFinished } from "vitest";
import { OPS_UI_ROOT } from "../app.js";
import { consolePlatform, DEMO_OPERATOR_PASSWORD, OPERATORS } from "../testing/console-platform.js";
import { consoleSpec } from "../testing/specs.js";

const shots = process.env.SCREENSHOTS_DIR;

/** axe-core clean (serious and critical), and a screenshot when `npm run screenshots` asks for them. */
async function check(page: Page, name: string) {
  await page.waitForLoadState("networkidle");
  if (shots) {
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: `${shots}/ops-console-${name}.png`, fullPage: true });
  }
  expect(await seriousAxeViolations(page), name).toEqual([]);
}

async function logIn(page: Page, url: string, operatorId: string) {
  await page.goto(url);
  await page.getByLabel("运营人员编号").fill(operatorId);
  await page.getByLabel("密码").fill(DEMO_OPERATOR_PASSWORD);
  await page.getByRole("button", { name: "登录" }).click();
  await page.getByRole("heading", { name: "营销活动" }).waitFor();
}

it("every main page: an HQ author writes a campaign with previews and the estimate, submits; another operator approves → live → pause; Guangdong sees none of it; axe and English", async () => {
  const platform = await consolePlatform({ pages: OPS_UI_ROOT });
  const browser = await launchBrowser();
  onTestFinished(() => browser.close());

  // The login page, then the HQ author's campaign list.
  const { page: author } = await browser.newPage({ viewport: "desktop" });
  await author.goto(platform.url);
  await author.getByRole("heading", { name: "运营人员登录" }).waitFor();
  await check(author, "login");
  await logIn(author, platform.url, OPERATORS.hqAuthor.id);
  await check(author, "campaigns");

  // The editor: offer, audience with its live estimate, each hall's creative with its live preview.
  await author.getByRole("link", { name: "新建活动" }).click();
  const form = author.getByRole("form", { name: "新建活动" });
  await form.getByLabel("活动名称").fill("浏览器测试：流量包八折");
  await form.getByLabel("目录产品").selectOption("DATA_10GB_MONTH");
  await form.getByLabel("折扣（%，如 20 表示八折）").fill("20");
  await form.getByLabel("省份（逗号分隔，如 GD,ZJ）").fill("GD");
  await expect
    .poll(
      async () =>
        Number(
          await author
            .getByTestId("estimate-matching")
            .textContent()
            .catch(() => "0"),
        ),
      {
        timeout: 15_000,
      },
    )
    .toBeGreaterThan(0);

  // Started two minutes ago (the browser's zone is Asia/Shanghai): approval puts it live at once.
  const shanghaiNow = new Date(Date.now() + 8 * 3600_000 - 120_000).toISOString().slice(0, 16);
  await form.getByLabel("开始时间").fill(shanghaiNow);
  await form.getByRole("checkbox", { name: "网上营业厅" }).check();
  await form.getByLabel("横幅标题（中文）").fill("流量包八折");
  await form.getByLabel("横幅标题（英文）").fill("Data pack 20% off");
  await form.getByLabel("横幅文字（中文）").fill("10GB 只要 24 元");
  await form.getByLabel("横幅文字（英文）").fill("10 GB for ¥24");
  await form.getByRole("checkbox", { name: "短信营业厅" }).check();
  await form.getByLabel("短信内容（中文）").fill("回复 LL8 办理 10GB 流量包八折");
  await form.getByLabel("短信内容（英文）").fill("Reply LL8 for 10 GB at 20% off");
  await form.getByLabel("回复关键字（大写字母或数字，1–8 位）").fill("ll8");
  await form.getByRole("checkbox", { name: "自助终端" }).check();
  await form.getByLabel("待机屏标题（中文）").fill("流量包八折");
  await form.getByLabel("待机屏标题（英文）").fill("Data pack 20% off");
  await form.getByLabel("待机屏文字（中文）").fill("点击办理");
  await form.getByLabel("待机屏文字（英文）").fill("Tap to buy");
  await form.getByRole("checkbox", { name: "移动营业厅（代理员）" }).check();
  await form.getByLabel("代理员推荐话术（中文）").fill("本月流量包八折");
  await form.getByLabel("代理员推荐话术（英文）").fill("Data packs 20% off this month");

  const webPreview = author.getByRole("figure", { name: "预览: 网上营业厅" });
  expect(await webPreview.textContent()).toContain("10GB 只要 24 元");
  const smsPreview = author.getByRole("figure", { name: "预览: 短信营业厅" });
  await expect.poll(() => smsPreview.textContent()).toContain("1 条短信（UCS-2，20 字）");
  expect(await smsPreview.textContent()).toContain("回复 LL8 办理");
  expect(await author.getByRole("figure", { name: "预览: 自助终端" }).textContent()).toContain("点击办理");
  expect(await author.getByRole("figure", { name: "预览: 移动营业厅（代理员）" }).textContent()).toContain(
    "本月流量包八折",
  );
  await check(author, "editor");

  await form.getByRole("button", { name: "保存草稿" }).click();
  const state = author.getByTestId("campaign-state");
  await expect.poll(() => state.textContent()).toBe("草稿");
  const campaignUrl = author.url();
  const campaignId = campaignUrl.split("/").pop()!;
  expect(campaignId).toMatch(/^cmp_/);
  await author.getByRole("button", { name: "提交审批" }).click();
  await expect.poll(() => state.textContent()).toBe("待审批");
  // The author holds no approver role: no approve button for them (the service would refuse it too).
  expect(await author.getByRole("button", { name: "审批通过" }).count()).toBe(0);
  await check(author, "campaign");

  // Another operator, the HQ approver, approves: live at once (its start time has come); then the kill switch.
  const { page: approver } = await browser.newPage({ viewport: "desktop" });
  await logIn(approver, platform.url, OPERATORS.hqApprover.id);
  await approver.goto(campaignUrl);
  await approver.getByRole("button", { name: "审批通过" }).click();
  const approverState = approver.getByTestId("campaign-state");
  await expect.poll(() => approverState.textContent()).toBe("进行中");
  await approver.getByRole("button", { name: "暂停" }).click();
  await expect.poll(() => approverState.textContent()).toBe("已暂停");
  // Its SMS wave's progress, as the campaign service counts it.
  await approver.getByRole("region", { name: "短信外呼进度" }).waitFor();
  await check(approver, "campaign-paused");
  expect(
    (await platform.call("GET", `/v1/campaigns/${campaignId}`, undefined, await bearer(OPERATORS.hqAuthor))).body
      .campaign.state,
  ).toBe("PAUSED");

  // The list filtered by state.
  await approver.getByRole("link", { name: "营销活动" }).click();
  await approver.getByLabel("按状态筛选").selectOption("PAUSED");
  await approver.getByRole("link", { name: "浏览器测试：流量包八折" }).waitFor();
  await approver.getByLabel("按状态筛选").selectOption("LIVE");
  await approver.getByText("没有符合条件的活动。").waitFor();

  // What the halls reported while it ran (the web hall: 3 banners shown, 1 opened; the kiosk: 2 attract screens).
  const report = async (caller: string, kinds: InteractionKind[]) =>
    platform.campaign.client(caller).recordInteractions({
      channel: Channel.CHANNEL_UNSPECIFIED,
      interactions: kinds.map((kind, index) => ({
        clientEventId: `${caller}-${campaignId}-${index}`,
        campaignId,
        kind,
        subscriberId: "",
        occurTime: new Date(),
      })),
    });
  const { INTERACTION_KIND_IMPRESSION: SHOWN, INTERACTION_KIND_CLICK: OPENED } = InteractionKind;
  await report("web-hall", [SHOWN, SHOWN, SHOWN, OPENED]);
  await report("kiosk", [SHOWN, SHOWN]);

  // The funnel (ECharts chart and the same numbers as a table) and the audit log with who did what.
  await approver.goto(`${campaignUrl}/funnel`);
  await approver.locator(".ops-chart canvas").first().waitFor();
  const webRow = approver.getByRole("row", { name: /^网上营业厅/ });
  expect((await webRow.getByRole("cell").allTextContents()).slice(0, 2)).toEqual(["3", "1"]);
  const kioskRow = approver.getByRole("row", { name: /^自助终端/ });
  expect((await kioskRow.getByRole("cell").allTextContents())[0]).toBe("2");
  await check(approver, "funnel");
  await approver.goto(`${campaignUrl}/audit`);
  const audit = approver.getByRole("table").first();
  await expect.poll(() => audit.textContent()).toContain("PAUSE");
  const log = (await audit.textContent()) ?? "";
  for (const action of ["CREATE", "SUBMIT", "APPROVE"]) expect(log).toContain(action);
  expect(log).toContain(`operator:${OPERATORS.hqApprover.id}`);
  await check(approver, "audit");

  // English on the switch.
  await approver.getByLabel("语言").selectOption("en");
  await approver.getByRole("heading", { name: "Audit log" }).waitFor();
  await check(approver, "audit-en");

  // A Guangdong operator neither lists the national campaign nor opens it (the campaign service's scope).
  const { page: guangdong } = await browser.newPage({ viewport: "phone" });
  await logIn(guangdong, platform.url, OPERATORS.gdAuthorApprover.id);
  await guangdong.getByText("没有符合条件的活动。").waitFor();
  await guangdong.goto(campaignUrl);
  await expect.poll(() => guangdong.getByRole("alert").textContent()).toContain("无权操作");
  await check(guangdong, "outside-scope-phone");

  // Their own province's campaign: as its author they see the approve button (they hold the role), and the
  // campaign service refuses in its own words.
  const gdToken = await bearer(OPERATORS.gdAuthorApprover);
  const own = await platform.call(
    "POST",
    "/v1/campaigns",
    { spec: consoleSpec("GD", "广东本地活动") },
    { ...gdToken, "idempotency-key": "gd-own-campaign-1" },
  );
  const ownId = own.body.campaign.campaignId as string;
  await platform.call("POST", `/v1/campaigns/${ownId}/submit`, undefined, {
    ...gdToken,
    "idempotency-key": "gd-own-submit-1",
  });
  await guangdong.goto(`${platform.url}/campaigns/${ownId}`);
  await guangdong.getByRole("button", { name: "审批通过" }).click();
  await expect.poll(() => guangdong.getByRole("alert").textContent()).toContain("活动需由创建人以外的审批人审批");

  async function bearer(operator: (typeof OPERATORS)[keyof typeof OPERATORS]) {
    return { authorization: `Bearer ${await platform.logIn(operator)}` };
  }
}, 240_000);
