import { demoSubscribers } from "@omnihall/demo-data";
import { expect, it } from "vitest";
import { MINI_UI_ROOT } from "../app.js";
import { handheld, confirmationCodes } from "../testing/handheld.js";
import { miniHallPlatform } from "../testing/mini-platform.js";

const [shenzhener] = demoSubscribers(1);

it("orders a pack on the handheld: a code to the subscriber, typed in by the agent", async () => {
  const platform = await miniHallPlatform({ pages: MINI_UI_ROOT });
  const codes = await confirmationCodes(platform.bus);
  const { page } = await handheld(platform.url);

  const order = page.getByRole("form", { name: "订购流量包（需联网）" });
  await order.getByLabel("用户手机号码").fill(shenzhener!.msisdn);
  await order.getByLabel("产品").selectOption("DATA_10GB_MONTH");
  await order.getByRole("button", { name: "发送验证码给用户" }).click();
  const confirm = page.getByRole("form", { name: "确认订购" });
  await confirm.waitFor();
  await expect.poll(() => codes.length).toBe(1);
  await confirm.getByLabel("用户收到的验证码").fill(codes[0]!);
  await confirm.getByRole("button", { name: "确认订购" }).click();
  await page.getByText(/订购已确认/).waitFor();
}, 120_000);
