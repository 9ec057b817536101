import { randomUUID } from "node:crypto";
import { DEMO_AGENT_PIN } from "@omnihall/customer";
import { demoSubscribers } from "@omnihall/demo-data";
import { ConfirmationRequested } from "@omnihall/orders";
import { ConfirmationRequestedEvent } from "@omnihall/proto/omnihall/orders/v1/order_events";
import { launchBrowser } from "@omnihall/testkit/browser";
import { expect, it, onTestFinished } from "vitest";
import { MINI_UI_ROOT } from "../app.js";
import { miniHallPlatform, SHENZHEN } from "../testing/mini-platform.js";

const [shenzhener] = demoSubscribers(1);

it("orders a pack on the handheld: a code to the subscriber, typed in by the agent", async () => {
  const platform = await miniHallPlatform({ pages: MINI_UI_ROOT });
  const codes: string[] = [];
  await platform.bus.subscribe(
    { durable: `test--mini-pack-${randomUUID()}`, subjects: [ConfirmationRequested.subject], deliverFrom: "all" },
    async (delivery) => {
      codes.push(ConfirmationRequestedEvent.decode(delivery.payload).code);
      delivery.ack();
    },
  );
  const browser = await launchBrowser();
  onTestFinished(() => browser.close());
  const { page } = await browser.newPage({ viewport: "phone" });
  await page.goto(platform.url);
  await page.getByLabel("代理员编号").fill(SHENZHEN.id);
  await page.getByLabel("密码（6 位数字）").fill(DEMO_AGENT_PIN);
  await page.getByLabel("终端编号").fill(SHENZHEN.handheldId);
  await page.getByRole("button", { name: "登录" }).click();

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
