import { demoSubscribers } from "@omnihall/demo-data";
import { expect, it } from "vitest";
import { MINI_UI_ROOT } from "../app.js";
import { handheld } from "../testing/handheld.js";
import { miniHallPlatform } from "../testing/mini-platform.js";

const [shenzhener] = demoSubscribers(1);

it("takes a card payment online and shows billing's receipt; a declined card shows why", async () => {
  const platform = await miniHallPlatform({ pages: MINI_UI_ROOT, payments: true });
  const { page } = await handheld(platform.url);

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
