import { mkdirSync, readFileSync } from "node:fs";
import { demoIdDocumentNumber } from "@omnihall/customer";
import { demoSubscribers } from "@omnihall/demo-data";
import { launchBrowser, seriousAxeViolations } from "@omnihall/testkit/browser";
import { describe, expect, it, onTestFinished } from "vitest";
import { ESC_POS } from "../devices/escpos.js";
import { kioskUnderTest } from "../testing/kiosk-under-test.js";
import { identifyByPhone, settled, typeOnKeypad } from "../testing/screen-tour.js";

const [first, second, third] = demoSubscribers(3);
/** "¥1,234.50" → 123450 */
const fenOf = (text: string) => Math.round(Number(text.replace(/[^\d.-]/g, "")) * 100);
const masked = (msisdn: string) => `${msisdn.slice(0, 3)}****${msisdn.slice(-4)}`;

async function screen() {
  const browser = await launchBrowser();
  onTestFinished(() => browser.close());
  return (await browser.newPage({ viewport: "desktop" })).page;
}

describe("kiosk screens in headless Chromium, against the real services and the simulated devices", () => {
  it("takes a cash top-up note by note and prints the receipt", async () => {
    const k = await kioskUnderTest();
    const page = await screen();
    await page.goto(k.url);
    await identifyByPhone(page, first!.msisdn, k.lastCodeFor);

    await page.getByRole("button", { name: "现金缴费" }).click();
    await page.getByText("请逐张放入纸币").waitFor();
    for (const denominationFen of [10000, 5000]) {
      expect((await k.control("POST", "/cash/notes", { denominationFen })).status).toBe(200);
    }
    await expect.poll(() => page.getByTestId("cash-counted").textContent()).toContain("¥150.00");
    await expect.poll(() => page.getByTestId("cash-counted").textContent()).toContain("2 张");
    await page.getByRole("button", { name: "投币完成" }).click();
    await page.getByText("缴费成功，到账 ¥150.00").waitFor();
    await page.getByText("请取走凭条。").waitFor();

    const bytes = readFileSync(k.printerFile);
    expect([...bytes.subarray(0, 2)]).toEqual([...ESC_POS.init]);
    expect(k.printedText()).toContain("到账 Credited: ¥150.00");
    expect(k.printedText()).toContain(masked(first!.msisdn));
  });

  it("identifies by ID card: the card's number masked on a button, then the SMS code", async () => {
    const k = await kioskUnderTest();
    const page = await screen();
    await page.goto(k.url);
    await page.getByRole("button", { name: "点击开始" }).click();
    await page.getByRole("button", { name: "刷身份证" }).click();
    await page.getByText("等待读取身份证").waitFor();
    // The second demo subscriber's card on the reader.
    await k.control("POST", "/id-card", { number: demoIdDocumentNumber(1), name: "测试" });
    const before = k.lastCodeFor(second!.msisdn);
    await page.getByRole("button", { name: masked(second!.msisdn) }).click();
    await expect.poll(() => k.lastCodeFor(second!.msisdn)).not.toBe(before);
    await page.getByText(`验证码已发送至 ${masked(second!.msisdn)}`).waitFor();
    await typeOnKeypad(page, k.lastCodeFor(second!.msisdn)!);
    await page.getByRole("button", { name: "确认" }).click();
    await page.getByText(`您好，${masked(second!.msisdn)}`).waitFor();
    expect(await page.content()).not.toContain(second!.msisdn);
  });

  it("goes back to the attract screen after the idle timeout and ends the session", async () => {
    const k = await kioskUnderTest({ KIOSK_IDLE_SECONDS: "3" });
    const page = await screen();
    await page.goto(k.url);
    await identifyByPhone(page, third!.msisdn, k.lastCodeFor);
    // No touch from here: a warning first, then the attract screen comes back by itself.
    await page.getByText("长时间无操作，即将返回首页").waitFor({ timeout: 10_000 });
    await page.getByRole("button", { name: "点击开始" }).waitFor({ timeout: 10_000 });
    await page.getByText("本机热门优惠").waitFor();
    const me = await page.evaluate(async () => (await fetch("/v1/me")).status);
    expect(me).toBe(401);
  });

  it("disables cash top-up while the cash box is full, and offers it again once emptied", async () => {
    const k = await kioskUnderTest();
    const page = await screen();
    await page.goto(k.url);
    await identifyByPhone(page, first!.msisdn, k.lastCodeFor);
    const cash = page.getByRole("button", { name: "现金缴费" });
    expect(await cash.isEnabled()).toBe(true);

    await k.control("PUT", "/devices", { cashAcceptor: "CASH_BOX_FULL" });
    await expect.poll(() => cash.isDisabled()).toBe(true);
    await page.getByText("现金模块暂不可用，无法现金缴费").waitFor();
    await page.getByText("现金模块（钱箱已满）").waitFor();
    expect(await seriousAxeViolations(page)).toEqual([]);

    await k.control("PUT", "/devices", { cashAcceptor: "OK" });
    await expect.poll(() => cash.isEnabled()).toBe(true);
  });

  it("buys a data pack after a confirmation showing its price, and sets call forwarding the same way", async () => {
    const k = await kioskUnderTest({}, { orders: true });
    const page = await screen();
    await page.goto(k.url);
    await identifyByPhone(page, third!.msisdn, k.lastCodeFor);
    const balance = page.getByTestId("balance");
    await expect.poll(() => balance.textContent()).toMatch(/¥/);
    const startFen = fenOf((await balance.textContent())!);

    await page.getByRole("button", { name: "流量包" }).click();
    await page.getByRole("button", { name: "购买 1GB 日包" }).click();
    const dialog = page.getByRole("dialog", { name: "确认订购" });
    await dialog.waitFor();
    expect(await dialog.getByTestId("order-price").textContent()).toBe("¥5.00");
    expect(await seriousAxeViolations(page)).toEqual([]);
    await dialog.getByRole("button", { name: "确认订购" }).click();
    await page.getByText(/已提交订购：1GB 日包/).waitFor();

    await page.getByRole("button", { name: "返回", exact: true }).click();
    await page.getByRole("button", { name: "呼叫转移" }).click();
    await page.getByRole("button", { name: "遇忙转移" }).click();
    await typeOnKeypad(page, "13900139000");
    await page.getByRole("button", { name: "设置呼叫转移" }).click();
    await page.getByRole("dialog", { name: "确认订购" }).getByRole("button", { name: "确认订购" }).click();
    await page.getByText(/已提交订购：呼叫转移/).waitFor();

    // The order saga charges both once (¥5.00 + ¥3.00): the balance on the menu shows it.
    await expect
      .poll(
        async () => {
          await page.reload();
          return fenOf((await balance.textContent()) ?? "");
        },
        { timeout: 20_000 },
      )
      .toBe(startFen - 800);
  });

  it("every kiosk screen passes axe-core with no serious violation (and writes screenshots when asked)", async () => {
    const k = await kioskUnderTest();
    const page = await screen();
    const shots = process.env.SCREENSHOTS_DIR;
    if (shots) mkdirSync(shots, { recursive: true });
    const check = async (name: string) => {
      await settled(page);
      if (shots) await page.screenshot({ path: `${shots}/kiosk-${name}.png`, fullPage: true });
      expect(await seriousAxeViolations(page), name).toEqual([]);
    };
    await page.goto(k.url);
    await page.getByText("本机热门优惠").waitFor();
    await check("attract");
    await page.getByRole("button", { name: "点击开始" }).click();
    await check("identify");
    await page.getByRole("button", { name: "手机号 + 短信验证码" }).click();
    await check("phone-keypad");
    await page.getByRole("button", { name: "返回", exact: true }).click();
    await page.getByRole("button", { name: "返回首页" }).click();
    await identifyByPhone(page, second!.msisdn, k.lastCodeFor);
    await check("menu");
    await page.getByRole("button", { name: "查询账单" }).click();
    await page.getByRole("table").waitFor();
    await check("bills");
    await page.getByRole("button", { name: "返回", exact: true }).click();
    await page.getByRole("button", { name: "现金缴费" }).click();
    await page.getByText("请逐张放入纸币").waitFor();
    await check("cash");
    await page.getByRole("button", { name: "English" }).click();
    await page.getByText("Insert notes one at a time").waitFor();
    await check("cash-en");
  });
});
