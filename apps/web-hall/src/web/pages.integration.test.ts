import { mkdirSync } from "node:fs";
import { demoSubscribers } from "@omnihall/demo-data";
import { AllowanceUnit } from "@omnihall/proto/omnihall/catalog/v1/allowance";
import { launchBrowser, seriousAxeViolations, VIEWPORTS } from "@omnihall/testkit/browser";
import { formatFen } from "@omnihall/ui/format";
import { describe, expect, it, onTestFinished } from "vitest";
import { webHallWithPages } from "../testing/full-platform.js";
import { logInThroughPage, MAIN_PAGES, settled } from "../testing/pages-tour.js";

const [alice, bob] = demoSubscribers(2);

async function browser() {
  const launched = await launchBrowser();
  onTestFinished(() => launched.close());
  return launched;
}

// Six services, their databases and a browser per test: well beyond the default 30 s on a 2-core machine.
describe("web hall pages in headless Chromium, against the real services", { timeout: 180_000 }, () => {
  it("logs in by SMS code, shows the balance, buys a pack after a confirmation, lists it, tops up on the gateway's pay page, sets call forwarding", async () => {
    const hall = await webHallWithPages();
    const { page } = await (await browser()).newPage({ viewport: "phone" });

    await logInThroughPage(page, hall.url, alice!.msisdn, hall.lastCodeFor);
    const startFen = BigInt(alice!.balanceFen);
    await expect.poll(() => page.getByTestId("balance").textContent()).toBe(formatFen(startFen));

    // Buy a pack: "Buy" only creates the order; the dialog shows the order's price and validity before any charge.
    await page.getByRole("link", { name: "流量/语音/漫游包" }).click();
    await page.getByRole("button", { name: "购买 1GB 日包" }).click();
    const dialog = page.getByRole("dialog", { name: "确认订购" });
    await dialog.waitFor();
    expect(await dialog.getByTestId("confirm-price").textContent()).toBe("¥5.00");
    expect(await dialog.textContent()).toContain("1 天有效");
    await dialog.getByRole("button", { name: "确认并支付" }).click();
    await page.getByText(/已提交订购：1GB 日包/).waitFor();

    // The saga activates it: it appears under my subscriptions, and the balance is charged once.
    await page.getByRole("link", { name: "我的订购" }).click();
    await expect
      .poll(
        async () => {
          await page.reload();
          await settled(page);
          return page.getByTestId("subscription").filter({ hasText: "1GB 日包" }).count();
        },
        { timeout: 20_000 },
      )
      .toBe(1);
    await page.getByRole("link", { name: "首页" }).click();
    await expect.poll(() => page.getByTestId("balance").textContent()).toBe(formatFen(startFen - 500n));
    // Its 1 GB shows as a bar of what is left (usage opened the bucket from the product event).
    await page.getByRole("link", { name: "用量", exact: true }).click();
    await page.getByRole("meter", { name: /1GB 日包/ }).waitFor({ timeout: 30_000 });
    expect(await page.getByRole("meter", { name: /1GB 日包/ }).getAttribute("aria-valuetext")).toBe(
      "剩余 1 GB / 共 1 GB",
    );
    await page.getByRole("link", { name: "首页" }).click();

    // Top up ¥50: the page sends us to the gateway simulator's pay page; paying there brings us back, and the
    // balance moves once billing has the gateway's signed notification.
    await page.getByRole("link", { name: "充值", exact: true }).first().click();
    await page.getByRole("button", { name: "¥50" }).click();
    await page.getByRole("button", { name: "去支付" }).click();
    await page.waitForURL((url) => url.origin === new URL(hall.gateways.url).origin);
    await page.getByRole("button", { name: /确认支付/ }).click();
    await page.getByRole("link", { name: /返回商户/ }).click();
    await page.waitForURL(`${hall.url}/top-up`);
    await expect.poll(() => page.getByTestId("top-up-status").textContent(), { timeout: 15_000 }).toBe("充值成功");
    await page.getByRole("link", { name: "首页" }).click();
    await expect.poll(() => page.getByTestId("balance").textContent()).toBe(formatFen(startFen - 500n + 5000n));

    // Call forwarding: the form comes from the catalog's setting definitions, the order carries the values.
    await page.getByRole("link", { name: "呼叫转移" }).click();
    await page.getByLabel("转移条件").selectOption("BUSY");
    await page.getByLabel("转移到号码").fill("13912345678");
    await page.getByRole("button", { name: "设置呼叫转移" }).click();
    const forwarding = page.getByRole("dialog", { name: "确认订购" });
    expect(await forwarding.getByTestId("confirm-price").textContent()).toBe("¥3.00");
    await forwarding.getByRole("button", { name: "确认并支付" }).click();
    await expect
      .poll(
        async () => {
          await page.reload();
          await settled(page);
          return page.getByTestId("forwarding-current").textContent();
        },
        { timeout: 20_000 },
      )
      .toBe(" · 转移条件: 遇忙转移 · 转移到号码: 13912345678");
  });

  it("every main page renders on a phone and a desktop with no serious accessibility violation (and writes screenshots when asked)", async () => {
    const hall = await webHallWithPages();
    const launched = await browser();
    const shots = process.env.SCREENSHOTS_DIR;
    if (shots) mkdirSync(shots, { recursive: true });
    const { page } = await launched.newPage({ viewport: "phone" });
    if (shots) {
      await page.goto(hall.url);
      await settled(page);
      for (const viewport of Object.keys(VIEWPORTS) as (keyof typeof VIEWPORTS)[]) {
        await page.setViewportSize(VIEWPORTS[viewport]);
        await page.screenshot({ path: `${shots}/login-${viewport}.png`, fullPage: true });
      }
    }
    await logInThroughPage(page, hall.url, bob!.msisdn, hall.lastCodeFor);
    // The plan's allowances reach usage through orders' product events: wait for the bars before looking.
    await page.getByRole("meter").first().waitFor({ timeout: 60_000 });
    // Some traffic from the network (usage takes records only for subscribers it knows, hence after the bars), so the usage page has days and records to show.
    const hour = 3600_000;
    await hall.ingestUsage(
      [
        [AllowanceUnit.ALLOWANCE_UNIT_DATA_KB, 350_000n, 1],
        [AllowanceUnit.ALLOWANCE_UNIT_VOICE_SECONDS, 185n, 2],
        [AllowanceUnit.ALLOWANCE_UNIT_DATA_KB, 1_200_000n, 26],
      ].map(([unit, quantity, hoursAgo], i) => ({
        source: "ggsn-test",
        recordId: `bob-${Date.now()}-${i}`,
        subscriberId: bob!.subscriberId,
        unit: unit as AllowanceUnit,
        quantity: quantity as bigint,
        usageTime: new Date(Date.now() - (hoursAgo as number) * hour),
        provinceCode: bob!.provinceCode,
        roamingCountryCode: "",
        ingestTime: undefined,
      })),
    );
    for (const viewport of Object.keys(VIEWPORTS) as (keyof typeof VIEWPORTS)[]) {
      await page.setViewportSize(VIEWPORTS[viewport]);
      for (const { path, name } of MAIN_PAGES) {
        await page.goto(hall.url + path);
        await settled(page);
        expect(await page.locator("html").getAttribute("lang")).toBe("zh-CN");
        // The page fits the viewport: nothing scrolls sideways on a 375-px phone.
        const overflow = await page.evaluate<number>("document.documentElement.scrollWidth - window.innerWidth");
        expect(overflow, `${name} on ${viewport} scrolls sideways`).toBeLessThanOrEqual(0);
        expect(await seriousAxeViolations(page), `${name} on ${viewport}`).toEqual([]);
        if (name === "bills" && viewport === "phone") {
          // The newest bill's lines, and its PDF (rendered by billing) through the same session cookie.
          await page.getByRole("table").getByRole("link").first().click();
          await settled(page);
          const pdf = await page.request.get(hall.url + (await page.getByTestId("bill-pdf").getAttribute("href"))!);
          expect(pdf.status()).toBe(200);
          expect(pdf.headers()["content-type"]).toBe("application/pdf");
          expect(pdf.headers()["content-disposition"]).toMatch(/^attachment; filename="bill-\d{4}-\d{2}\.pdf"$/);
          expect((await pdf.body()).subarray(0, 8).toString("latin1")).toBe("%PDF-1.4");
        }
        if (name === "packs" && viewport === "phone") {
          // Roaming packs by destination: the catalog filters them, the page only passes the choice on.
          await page.getByLabel("类型").selectOption("ROAMING_PACK");
          await page.getByLabel("目的地").selectOption("JP");
          await expect
            .poll(() => page.locator(".wh-offer__name").allTextContents())
            .toEqual(expect.arrayContaining([expect.stringContaining("日本")]));
          const names = await page.locator(".wh-offer__name").allTextContents();
          expect(names.length).toBeGreaterThan(0);
          expect(names.every((n) => n.includes("日本"))).toBe(true);
        }
        if (name === "usage")
          expect(await page.getByTestId("usage-by-day").locator("tbody tr").count()).toBeGreaterThan(1);
        if (shots) await page.screenshot({ path: `${shots}/${name}-${viewport}.png`, fullPage: true });
      }
    }
  });

  it("orders broadband with an appointment and follows the installation, redeems points, opts out of marketing and back", async () => {
    const hall = await webHallWithPages();
    const { page } = await (await browser()).newPage({ viewport: "phone" });
    await logInThroughPage(page, hall.url, bob!.msisdn, hall.lastCodeFor); // ZJ: broadband is sold there
    await page.getByRole("link", { name: "宽带" }).click();
    await page.getByRole("button", { name: "购买 300M 光宽带新装" }).click();
    await page.getByLabel("安装地址").fill("杭州市西湖区文三路 100 号");
    // A visit three days from now, as the subscriber's wall clock (datetime-local) says.
    const visit = new Date(Date.now() + 3 * 24 * 3600_000 + 8 * 3600_000).toISOString().slice(0, 11) + "10:00";
    await page.getByLabel("上门时间").fill(visit);
    await page.getByRole("button", { name: "提交订单" }).click();
    const dialog = page.getByRole("dialog", { name: "确认订购" });
    // The order engine's price (¥50 a month on the offering; the order adds what a new line costs up front).
    expect(await dialog.getByTestId("confirm-price").textContent()).toBe("¥150.00");
    await dialog.getByRole("button", { name: "确认并支付" }).click();
    await page.getByText(/已提交订购：300M 光宽带新装/).waitFor();
    // The tracker fills in as the network reports milestones (the page is reloaded to see them).
    await expect
      .poll(
        async () => {
          await page.reload();
          await settled(page);
          return page.locator('.wh-steps li[data-done="true"]').count();
        },
        { timeout: 30_000 },
      )
      .toBe(4);
    expect(await page.locator(".wh-steps").textContent()).toContain("安装完成");

    // Points for a ¥5 credit, after a confirmation; billing takes the points and credits the balance.
    await page.getByRole("link", { name: "积分" }).click();
    await settled(page);
    const pointsOf = async () => Number((await page.locator(".oh-big").textContent())!.replace(/\D/g, ""));
    const before = await pointsOf();
    await page.getByRole("button", { name: "兑换 5 元话费券" }).click();
    await page.getByRole("dialog", { name: "确认兑换" }).getByRole("button", { name: "确认" }).click();
    await page.getByText(`已兑换「5 元话费券」，剩余 ${before - 500} 积分。`).waitFor();
    await expect.poll(pointsOf).toBe(before - 500);

    // Marketing texts: opt out and back in; notify records each change with the web hall as its channel.
    await page.getByRole("link", { name: "营销短信" }).click();
    await settled(page);
    const state = page.getByTestId("consent-state");
    const optedOut = (await state.textContent()) === "已退订营销短信";
    for (const [button, shown] of optedOut
      ? [
          ["同意接收", "已同意接收营销短信"],
          ["退订", "已退订营销短信"],
        ]
      : [
          ["退订", "已退订营销短信"],
          ["同意接收", "已同意接收营销短信"],
        ]) {
      await page.getByRole("button", { name: button, exact: true }).click();
      await expect.poll(() => state.textContent()).toBe(shown);
    }
    expect(await page.getByRole("listitem").filter({ hasText: "WEB_HALL" }).count()).toBeGreaterThanOrEqual(2);
  });

  it("an order the balance does not cover waits for payment, is paid on the gateway's page and completes", async () => {
    const hall = await webHallWithPages();
    const { page } = await (await browser()).newPage({ viewport: "phone" });
    await logInThroughPage(page, hall.url, alice!.msisdn, hall.lastCodeFor); // ¥5.63: less than the pack
    await page.getByRole("link", { name: "流量/语音/漫游包" }).click();
    await page.getByRole("button", { name: "购买 10GB 当月流量包" }).click();
    await page.getByRole("dialog", { name: "确认订购" }).getByRole("button", { name: "确认并支付" }).click();
    await page.getByText(/已提交订购：10GB 当月流量包/).waitFor();

    await page.getByRole("link", { name: "订单" }).click();
    await page.getByRole("link", { name: "10GB 当月流量包" }).click();
    // The order engine holds it for payment (the page shows what it says, and offers to pay the order's price).
    await page.getByText("余额不足，订单等待付款").waitFor({ timeout: 20_000 });
    await page.getByRole("button", { name: "去支付" }).click();
    await page.waitForURL((url) => url.origin === new URL(hall.gateways.url).origin);
    await page.getByRole("button", { name: /确认支付/ }).click();
    await page.getByRole("link", { name: /返回商户/ }).click();
    await page.waitForURL((url) => url.pathname === "/orders" && url.search.includes("order="));
    await expect
      .poll(async () => (await page.getByRole("main").textContent())?.includes("已完成"), { timeout: 30_000 })
      .toBe(true);
    await page.getByRole("link", { name: "我的订购" }).click();
    await page.getByTestId("subscription").filter({ hasText: "10GB 当月流量包" }).waitFor();
  });

  it("shows a wrong code's refusal in the page's words, switches to English and keeps the choice across a reload", async () => {
    const hall = await webHallWithPages();
    const { page } = await (await browser()).newPage();
    // A wrong code: the customer service's own refusal, in the page's language (not a generic failure).
    await page.goto(hall.url);
    await page.getByLabel("手机号码").fill(bob!.msisdn);
    await page.getByRole("button", { name: "获取验证码" }).click();
    await page.getByLabel("验证码").fill("000000");
    await page.getByRole("button", { name: "登录", exact: true }).click();
    const refusal = page.getByRole("alert");
    await refusal.waitFor();
    expect(await refusal.textContent()).toMatch(/验证码/);
    expect(await refusal.textContent()).not.toBe("出错了");

    await logInThroughPage(page, hall.url, alice!.msisdn, hall.lastCodeFor);
    await page.getByLabel("语言").selectOption("en");
    await page.getByRole("link", { name: "My subscriptions" }).waitFor();
    await page.reload();
    await page.getByRole("heading", { name: /Hello/ }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
  });
});
