import "@omnihall/testkit";
import { mkdtempSync, readFileSync, existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { JetStreamBus } from "@omnihall/bus";
import { createBillingDb, loadBillingConfig, seedBilling, startBillingService } from "@omnihall/billing";
import { loadCatalogConfig, seedCatalog, startCatalogService } from "@omnihall/catalog";
import { loadCustomerConfig, seedCustomer, startCustomerService } from "@omnihall/customer";
import { migratedTestDatabase } from "@omnihall/db/testing";
import { createOrdersDb, loadOrdersConfig, seedOrders, startOrdersService } from "@omnihall/orders";
import { createLogger } from "@omnihall/service-kit";
import { captureLogs } from "@omnihall/service-kit/testing";
import { inject, onTestFinished } from "vitest";
import { startKiosk } from "../index.js";
import { loadKioskConfig } from "../config.js";
import { decodeReceiptText } from "../devices/escpos.js";
import { startKioskDeviceSimulator } from "../devices/simulator.js";

/**
 * One kiosk for one test, all real: customer, billing and catalog over gRPC on their own migrated, seeded
 * databases, the simulated device board on its socket (printer writing to a temporary file) and the kiosk hall
 * on a free port, connected to both.
 */
export async function kioskUnderTest(env: Record<string, string> = {}, options: { orders?: boolean } = {}) {
  const [customerDb, billingDb, catalogDb] = await Promise.all([
    migratedTestDatabase(new URL("../../../customer/", import.meta.url)),
    migratedTestDatabase(new URL("../../../billing/", import.meta.url)),
    migratedTestDatabase(new URL("../../../catalog/", import.meta.url)),
  ]);
  await seedCustomer(customerDb.url);
  await seedCatalog(catalogDb.url);
  const seedDb = createBillingDb(billingDb.url, 2);
  await seedBilling(seedDb, { subscribers: 20 });
  await seedDb.$disconnect();

  const silent = createLogger("test", { level: "silent" });
  const customerLogs = captureLogs("customer");
  const bus = await JetStreamBus.connect({ url: inject("natsUrl"), logger: silent });
  const customer = await startCustomerService({
    config: loadCustomerConfig({ DATABASE_URL: customerDb.url, PORT: "0", NODE_ENV: "development" }),
    bus,
    logger: customerLogs.logger,
  });
  const billing = await startBillingService({
    config: loadBillingConfig({ DATABASE_URL: billingDb.url, PORT: "0", PAYMENT_NOTIFY_PORT: "0" }),
    bus,
    logger: silent,
  });
  const catalog = await startCatalogService({
    config: loadCatalogConfig({ DATABASE_URL: catalogDb.url, PORT: "0" }),
    bus,
    logger: silent,
  });
  let ordersAddress = "127.0.0.1:1";
  if (options.orders) {
    const ordersDb = await migratedTestDatabase(new URL("../../../orders/", import.meta.url));
    const ordersSeed = createOrdersDb(ordersDb.url, 2);
    await seedOrders(ordersSeed, { subscribers: 20 });
    await ordersSeed.$disconnect();
    const orders = await startOrdersService({
      config: loadOrdersConfig({
        DATABASE_URL: ordersDb.url,
        PORT: "0",
        CUSTOMER_ADDRESS: customer.address,
        BILLING_ADDRESS: billing.address,
        CATALOG_ADDRESS: catalog.address,
        PROVISIONING_LATENCY_MS: "0",
        SAGA_POLL_MS: "50",
      }),
      bus,
      logger: silent,
    });
    ordersAddress = orders.address;
    onTestFinished(() => orders.stop());
  }
  const scratch = mkdtempSync(join(tmpdir(), "omnihall-kiosk-"));
  const printerFile = join(scratch, "printer.escpos");
  const devices = await startKioskDeviceSimulator({ printerFile });
  const kioskLogs = captureLogs("kiosk");
  const config = loadKioskConfig({
    CUSTOMER_ADDRESS: customer.address,
    BILLING_ADDRESS: billing.address,
    CATALOG_ADDRESS: catalog.address,
    ORDERS_ADDRESS: ordersAddress,
    KIOSK_DEVICES_ADDRESS: devices.address,
    PORT: "0",
    METRICS_PORT: "0",
    SESSION_COOKIE_SECURE: "false",
    RATE_LIMIT_PER_MINUTE: "0",
    KIOSK_CASH_JOURNAL: join(scratch, "cash.json"),
    ...env,
  });
  let kiosk = await startKiosk({ config, logger: kioskLogs.logger });
  onTestFinished(async () => {
    await kiosk.stop();
    await devices.stop();
    await customer.stop();
    await billing.stop();
    await catalog.stop();
    await bus.close();
  });

  /** The last login code the customer service wrote to its log for this number (development mode). */
  function lastCodeFor(msisdn: string): string | undefined {
    const entry = customerLogs.entries.findLast((e) => e.msisdn === msisdn && typeof e.code === "string");
    return entry?.code as string | undefined;
  }

  async function control(method: string, path: string, body?: unknown) {
    const response = await fetch(devices.controlUrl + path, {
      method,
      headers: body === undefined ? {} : { "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  }

  /** The text of everything the printer printed so far. */
  function printedText(): string {
    return existsSync(printerFile) ? decodeReceiptText(readFileSync(printerFile)) : "";
  }

  /** Stops the kiosk hall as a power cut would leave it (nothing closed), and starts it again on the same port. */
  async function restart() {
    await kiosk.stop();
    kiosk = await startKiosk({ config: { ...config, PORT: Number(new URL(url).port) }, logger: kioskLogs.logger });
  }

  const url = kiosk.url;
  return {
    url,
    restart,
    config,
    devices,
    printerFile,
    printedText,
    control,
    lastCodeFor,
    customerAddress: customer.address,
    billingAddress: billing.address,
    kioskLogs: kioskLogs.entries,
  };
}
