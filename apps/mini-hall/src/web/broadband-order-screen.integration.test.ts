import { mkdirSync } from "node:fs";
import { demoSubscribers } from "@omnihall/demo-data";
import { seriousAxeViolations } from "@omnihall/testkit/browser";
import { expect, it } from "vitest";
import { MINI_UI_ROOT } from "../app.js";
import { handheld, confirmationCodes } from "../testing/handheld.js";
import { miniHallPlatform } from "../testing/mini-platform.js";

const [shenzhener] = demoSubscribers(1);

/** "YYYY-MM-DDTHH:mm" for <input type="datetime-local">, days ahead at 10:00 on the handheld's clock. */
function visitAt(daysAhead: number): string {
  const at = new Date();
  at.setDate(at.getDate() + daysAhead);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${at.getFullYear()}-${pad(at.getMonth() + 1)}-${pad(at.getDate())}T10:00`;
}

it("signs a subscriber up for broadband on the handheld: address, visit, the code they were sent", async () => {
  const platform = await miniHallPlatform({ pages: MINI_UI_ROOT });
  const codes = await confirmationCodes(platform.bus);
  const { page } = await handheld(platform.url);

  const order = page.getByRole("form", { name: "宽带新装 / 续费（需联网）" });
  await order.getByLabel("用户手机号码").fill(shenzhener!.msisdn);
  await order.getByLabel("产品").selectOption("BB_300M_NEW");
  // A new line needs the engineer's visit: a slot in the past is the order engine's refusal, in its words.
  await order.getByLabel("安装地址").fill("深圳市南山区科技园一路 1 号 2 栋 301");
  await order.getByLabel("预约上门时间").fill(visitAt(-2));
  await order.getByRole("button", { name: "发送验证码给用户" }).click();
  await page
    .getByRole("alert")
    .filter({ hasText: /预约|时间/ })
    .waitFor();
  expect(codes).toHaveLength(0);

  await order.getByLabel("预约上门时间").fill(visitAt(2));
  // `npm run screenshots`: the handheld's page with the broadband form filled in, then waiting for the code.
  const shots = process.env.SCREENSHOTS_DIR;
  if (shots) mkdirSync(shots, { recursive: true });
  const shoot = async (name: string) => {
    if (shots) await page.screenshot({ path: `${shots}/mini-hall-${name}.png`, fullPage: true });
  };
  await shoot("broadband");
  await order.getByRole("button", { name: "发送验证码给用户" }).click();
  const confirm = page.getByRole("form", { name: "确认宽带订购" });
  await confirm.waitFor();
  expect(await seriousAxeViolations(page)).toEqual([]);
  await shoot("broadband-code");
  await expect.poll(() => codes.length).toBe(1);
  await confirm.getByLabel("用户收到的验证码").fill(codes[0]!);
  await confirm.getByRole("button", { name: "确认宽带订购" }).click();
  await page.getByText(/订购已确认/).waitFor();

  const [stored] = await platform.ordersDb.order.findMany({ where: { offeringCode: "BB_300M_NEW" } });
  expect(stored).toMatchObject({ subscriberId: shenzhener!.subscriberId });
  expect(JSON.stringify(stored!.installation)).toContain("科技园一路 1 号");
}, 120_000);
