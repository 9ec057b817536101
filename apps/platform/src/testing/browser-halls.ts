import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Kvm } from "@nats-io/kv";
import { connect } from "@nats-io/transport-node";
import { DEMO_AGENTS } from "@omnihall/customer";
import { loadKioskConfig, startKiosk } from "@omnihall/kiosk";
import { startKioskDeviceSimulator } from "@omnihall/kiosk/simulator";
import { loadMiniHallConfig, startMiniHall } from "@omnihall/mini-hall";
import { signInAgent } from "@omnihall/mini-hall/testing";
import type { Logger } from "@omnihall/service-kit";
import { uniqueSuffix } from "@omnihall/testkit";
import { loadWebHallConfig, startWebHall } from "@omnihall/web-hall";
import type { Page } from "playwright-core";
import { inject, onTestFinished } from "vitest";

/** A live offer KV bucket of the test's own (the shared NATS may hold `npm start`'s real one), destroyed afterwards. */
export function testBucket(): string {
  const bucket = `test-hall-live-offers-${uniqueSuffix()}`;
  onTestFinished(async () => {
    const nc = await connect({ servers: inject("natsUrl") });
    try {
      await (await new Kvm(nc).open(bucket)).destroy();
    } catch {
      // Not there when the campaign service failed to start: nothing to clean.
    }
    await nc.close();
  });
  return bucket;
}

/**
 * The three browser halls as `npm start` runs them (their own start functions, web/dist pages), each watching the
 * live offer `bucket` on the test NATS and calling the customer, catalog and campaign services at the addresses
 * given (and any further settings in `env`). Stopped when the test ends.
 */
export async function startBrowserHalls(options: {
  bucket: string;
  customerAddress: string;
  catalogAddress: string;
  campaignAddress: string;
  logger: Logger;
  env?: Record<string, string>;
}) {
  const { logger } = options;
  const stops: Array<() => Promise<void>> = [];
  onTestFinished(async () => {
    for (const stop of stops.reverse()) await stop();
  });
  const hall = {
    PORT: "0",
    METRICS_PORT: "0",
    LOG_LEVEL: "silent",
    NATS_URL: inject("natsUrl"),
    LIVE_OFFERS_BUCKET: options.bucket,
    CUSTOMER_ADDRESS: options.customerAddress,
    CATALOG_ADDRESS: options.catalogAddress,
    CAMPAIGN_ADDRESS: options.campaignAddress,
    SESSION_COOKIE_SECURE: "false",
    RATE_LIMIT_PER_MINUTE: "0",
    ...options.env,
  };
  const web = await startWebHall({ config: loadWebHallConfig(hall), logger });
  stops.push(() => web.stop());
  const devices = await startKioskDeviceSimulator({
    printerFile: join(mkdtempSync(join(tmpdir(), "live-offers-kiosk-")), "printer.escpos"),
  });
  stops.push(() => devices.stop());
  const kioskConfig = loadKioskConfig({
    ...hall,
    KIOSK_DEVICES_ADDRESS: devices.address,
    KIOSK_CASH_JOURNAL: join(mkdtempSync(join(tmpdir(), "live-offers-cash-")), "cash.json"),
  });
  const kiosk = await startKiosk({ config: kioskConfig, logger });
  stops.push(() => kiosk.stop());
  const mini = await startMiniHall({ config: loadMiniHallConfig(hall), logger });
  stops.push(() => mini.stop());
  return { web, kiosk, mini };
}

/**
 * Opens the pages a campaign shows on: the web hall before anyone logs in (national offers), the kiosk's attract
 * screen, and the first demo agent's home screen on the mini hall (the customer service must hold the demo agents).
 */
export async function openHallPages(
  halls: Awaited<ReturnType<typeof startBrowserHalls>>,
  pages: { web: Page; kiosk: Page; mini: Page },
) {
  await pages.web.goto(halls.web.url);
  await pages.web.getByRole("button", { name: "获取验证码" }).waitFor();
  await pages.kiosk.goto(halls.kiosk.url);
  await pages.kiosk.getByRole("button", { name: "点击开始" }).waitFor();
  const agent = DEMO_AGENTS[0];
  await signInAgent(pages.mini, halls.mini.url, agent);
  await pages.mini.getByText(agent.name).first().waitFor();
}

/** Milliseconds from `since` until the offer card named `text` reaches the state (visible or gone). */
export async function msUntil(page: Page, text: string, state: "visible" | "detached", since: number): Promise<number> {
  await page.getByRole("article", { name: text }).first().waitFor({ state, timeout: 10_000 });
  return Math.round(performance.now() - since);
}
