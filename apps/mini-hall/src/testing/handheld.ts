import type { EventBus } from "@omnihall/bus";
import { DEMO_AGENT_PIN, DEMO_AGENTS } from "@omnihall/customer";
import { ConfirmationRequested } from "@omnihall/orders";
import { ConfirmationRequestedEvent } from "@omnihall/proto/omnihall/orders/v1/order_events";
import { uniqueSuffix } from "@omnihall/testkit";
import { launchBrowser } from "@omnihall/testkit/browser";
import type { Page } from "playwright-core";
import { onTestFinished } from "vitest";

type DemoAgent = (typeof DEMO_AGENTS)[number];

/** Signs a demo agent in on the handheld's login screen at `url`, as an agent starts the day. */
export async function signInAgent(page: Page, url: string, agent: DemoAgent = DEMO_AGENTS[0]): Promise<void> {
  await page.goto(url);
  await page.getByLabel("代理员编号").fill(agent.id);
  await page.getByLabel("密码（6 位数字）").fill(DEMO_AGENT_PIN);
  await page.getByLabel("终端编号").fill(agent.handheldId);
  await page.getByRole("button", { name: "登录" }).click();
}

/** A phone-sized page in a browser of the test's own (closed when it ends), a demo agent signed in at `url`. */
export async function handheld(url: string, agent: DemoAgent = DEMO_AGENTS[0]) {
  const browser = await launchBrowser();
  onTestFinished(() => browser.close());
  const { page, context } = await browser.newPage({ viewport: "phone" });
  await signInAgent(page, url, agent);
  return { page, context };
}

/** The confirmation codes orders sends to subscribers from the start of `bus`'s stream, as they come. */
export async function confirmationCodes(bus: EventBus): Promise<string[]> {
  const codes: string[] = [];
  await bus.subscribe(
    {
      durable: `test--confirmation-codes-${uniqueSuffix()}`,
      subjects: [ConfirmationRequested.subject],
      deliverFrom: "all",
    },
    async (delivery) => {
      codes.push(ConfirmationRequestedEvent.decode(delivery.payload).code);
      delivery.ack();
    },
  );
  return codes;
}
