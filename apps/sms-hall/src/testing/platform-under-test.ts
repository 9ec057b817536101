import "@omnihall/testkit";
import { JetStreamBus } from "@omnihall/bus";
import { createBillingDb, loadBillingConfig, seedBilling, startBillingService } from "@omnihall/billing";
import { loadCatalogConfig, seedCatalog, startCatalogService } from "@omnihall/catalog";
import { loadCustomerConfig, seedCustomer, startCustomerService } from "@omnihall/customer";
import { migratedTestDatabase } from "@omnihall/db/testing";
import { loadNotifyConfig, startNotifyService } from "@omnihall/notify";
import { createOrdersDb, loadOrdersConfig, seedOrders, startOrdersService } from "@omnihall/orders";
import { createLogger } from "@omnihall/service-kit";
import { FakeSmsc, type ReceivedSubmit } from "@omnihall/sms-link/testing";
import { uniqueSuffix } from "@omnihall/testkit";
import { loadUsageConfig, startUsageService } from "@omnihall/usage";
import { inject, onTestFinished } from "vitest";
import { startSmsHall } from "../app.js";
import { loadSmsHallConfig } from "../config.js";

const appDir = (app: string) => new URL(`../../../${app}/`, import.meta.url);
const SMSC = { systemId: "omnihall", password: "smsc-test" };
const SERVICE_NUMBER = "10086";

/**
 * The SMS hall with everything it talks to, real, for one test: customer, catalog, billing, orders, usage and
 * notify on their own migrated and seeded databases, the test NATS, and one SMSC that notify sends through
 * (transceiver bind) and the hall receives from (receiver bind).
 */
export async function smsHallUnderTest(env: Record<string, string> = {}) {
  const logger = createLogger("sms-hall-test", { level: "silent" });
  const bus = await JetStreamBus.connect({ url: inject("natsUrl"), name: "sms-hall-test", logger });
  onTestFinished(() => bus.close());
  const stops: Array<() => Promise<void>> = [];
  onTestFinished(async () => {
    for (const stop of stops.reverse()) await stop();
  });

  const [customerDb, catalogDb, billingDb, ordersDb, usageDb, notifyDb] = await Promise.all(
    ["customer", "catalog", "billing", "orders", "usage", "notify"].map((app) => migratedTestDatabase(appDir(app))),
  );
  await seedCustomer(customerDb!.url);
  await seedCatalog(catalogDb!.url);
  const billingSeed = createBillingDb(billingDb!.url, 2);
  await seedBilling(billingSeed, { subscribers: 20 });
  await billingSeed.$disconnect();

  const smsc = await FakeSmsc.start(SMSC);
  stops.push(() => smsc.close());
  const pool = { DATABASE_POOL_SIZE: "3", PORT: "0", LOG_LEVEL: "silent" };
  const customer = await startCustomerService({
    config: loadCustomerConfig({ ...pool, DATABASE_URL: customerDb!.url }),
    bus,
    logger,
  });
  stops.push(() => customer.stop());
  const catalog = await startCatalogService({
    config: loadCatalogConfig({ ...pool, DATABASE_URL: catalogDb!.url }),
    bus,
    logger,
  });
  stops.push(() => catalog.stop());
  const billing = await startBillingService({
    config: loadBillingConfig({ ...pool, DATABASE_URL: billingDb!.url }),
    bus,
    logger,
  });
  stops.push(() => billing.stop());
  const notify = await startNotifyService({
    config: loadNotifyConfig({
      ...pool,
      DATABASE_URL: notifyDb!.url,
      CUSTOMER_ADDRESS: customer.address,
      CATALOG_ADDRESS: catalog.address,
      SMPP_PORT: String(smsc.port),
      SMPP_SYSTEM_ID: SMSC.systemId,
      SMPP_PASSWORD: SMSC.password,
      SMPP_RATE: "2000",
      SMPP_WINDOW: "50",
      SERVICE_SENDER: SERVICE_NUMBER,
      EVENT_CONSUMER: `smshall-t${uniqueSuffix()}`,
      DISPATCH_POLL_MS: "100",
    }),
    bus,
    logger,
  });
  stops.push(() => notify.stop());
  const usage = await startUsageService({
    config: loadUsageConfig({ ...pool, USAGE_DB_POOL_SIZE: "3", DATABASE_URL: usageDb!.url }),
    bus,
    logger,
  });
  stops.push(() => usage.stop());
  const ordersSeed = createOrdersDb(ordersDb!.url, 2);
  await seedOrders(ordersSeed);
  await ordersSeed.$disconnect();
  const orders = await startOrdersService({
    config: loadOrdersConfig({
      ...pool,
      DATABASE_URL: ordersDb!.url,
      CUSTOMER_ADDRESS: customer.address,
      BILLING_ADDRESS: billing.address,
      CATALOG_ADDRESS: catalog.address,
      CONFIRMATION_TTL_SECONDS: "600",
      PROVISIONING_LATENCY_MS: "0",
      SAGA_POLL_MS: "50",
    }),
    bus,
    logger,
  });
  stops.push(() => orders.stop());

  const hall = await startSmsHall({
    config: loadSmsHallConfig({
      PORT: "0",
      CUSTOMER_ADDRESS: customer.address,
      BILLING_ADDRESS: billing.address,
      ORDERS_ADDRESS: orders.address,
      USAGE_ADDRESS: usage.address,
      NOTIFY_ADDRESS: notify.address,
      SMS_HALL_SMPP_PORT: String(smsc.port),
      SMS_HALL_SMPP_SYSTEM_ID: SMSC.systemId,
      SMS_HALL_SMPP_PASSWORD: SMSC.password,
      ...env,
    }),
    logger,
  });
  stops.push(() => hall.stop());

  /**
   * Sends a text from a handset and waits for the first text back to it that matches `answer` (orders' and
   * notify's own notices may arrive in between). Fails listing what did arrive.
   */
  async function text(from: string, body: string, answer: RegExp, timeoutMs = 15_000): Promise<string> {
    const before = smsc.submits.length;
    await smsc.deliverMo({ from, to: SERVICE_NUMBER, text: body });
    return textTo(from, answer, before, timeoutMs);
  }

  /** The first whole text (parts joined) to `to` after submit number `after` that matches `answer`. */
  async function textTo(to: string, answer: RegExp, after: number, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const texts = wholeTexts(smsc.submits.slice(after).filter((s) => s.destinationAddr === to));
      const match = texts.find((t) => answer.test(t));
      if (match !== undefined) return match;
      if (Date.now() > deadline) throw new Error(`no text to ${to} matching ${answer}; got ${JSON.stringify(texts)}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  return { smsc, hall, text, textTo, serviceNumber: SERVICE_NUMBER, addresses: { orders: orders.address } };
}

/** The whole texts among these submits: single ones, and concatenated ones once all their parts are in. */
function wholeTexts(submits: ReceivedSubmit[]): string[] {
  const texts: string[] = [];
  const long = new Map<string, ReceivedSubmit[]>();
  for (const submit of submits) {
    const concat = submit.udh.find((ie) => ie[0] === 0x00);
    if (!concat) {
      texts.push(submit.text);
      continue;
    }
    const key = `${concat[2]}/${concat[3]}`;
    const parts = [...(long.get(key) ?? []), submit];
    long.set(key, parts);
    if (parts.length === concat[3]) {
      const sequence = (part: ReceivedSubmit) => part.udh.find((ie) => ie[0] === 0x00)![4]!;
      texts.push(
        parts
          .sort((a, b) => sequence(a) - sequence(b))
          .map((part) => part.text)
          .join(""),
      );
      long.delete(key);
    }
  }
  return texts;
}
