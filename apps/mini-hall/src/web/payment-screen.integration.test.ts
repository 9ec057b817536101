import { DEMO_AGENT_PIN } from "@omnihall/customer";
import { demoSubscribers } from "@omnihall/demo-data";
import { launchBrowser } from "@omnihall/testkit/browser";
import { expect, it, onTestFinished } from "vitest";
import { MINI_UI_ROOT } from "../app.js";
import { miniHallPlatform, SHENZHEN } from "../testing/mini-platform.js";

const [shenzhener] = demoSubscribers(1);

it("takes a card payment online and shows billing's receipt; a declined card shows why", async () => {
  const platform = await miniHallPlatform({ pages: MINI_UI_ROOT, payments: true });
  const browser = await launchBrowser();
  onTestFinished(() => browser.close());
  const { page } = await browser.newPage({ viewport: "phone" });
  await page.goto(platform.url);
  await page.getByLabel("代理员编号").fill(SHENZHEN.id);
  await page.getByLabel("密码（6 位数字）").fill(DEMO_AGENT_PIN);
  await page.getByLabel("终端编号").fill(SHENZHEN.handheldId);
  await page.getByRole("button", { name: "登录" }).click();

  const form = page.getByRole("form", { name: "收款（需联网）" });
  const pay = async (pan: string, yuan: string) => {
    await form.getByLabel("用户手机号码").fill(shenzhener!.msisdn);
    await form.getByLabel("金额（元）").fill(yuan);
    await form.getByLabel("收款方式").selectOption("BANK_CARD");
    await form.getByLabel("卡号（读卡器）").fill(pan);
    await form.getByLabel("有效期（YYMM）").fill("2912");
    await form.getByLabel("POS 终端号").fill("T0000001");
    await form.getByRole("button", { name: "收款" }).click();
  };
  await pay("6222020200112233445", "50");
  const receipt = page.getByRole("region", { name: "收据" });
  await expect.poll(() => receipt.textContent()).toContain("收款成功");
  expect(await receipt.textContent()).toContain("¥50.00");
  // Notify texts the receipt of a payment an agent took (its own test: payments.integration.test.ts).
  expect(await receipt.textContent()).toContain("收据将以短信发送给用户。");
  expect(platform.gateways!.acquirer.charged()).toBe(5000n);

  await pay("6222020200110051", "10");
  await expect.poll(() => receipt.textContent()).toContain("卡内余额不足。");
  expect(await receipt.textContent()).not.toContain("短信");
  expect(platform.gateways!.acquirer.charged()).toBe(5000n);
}, 120_000);
