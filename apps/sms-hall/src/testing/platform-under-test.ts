import "@omnihall/testkit";
import { JetStreamBus } from "@omnihall/bus";
import { createBillingDb, loadBillingConfig, seedBilling, startBillingService } from "@omnihall/billing";
import { loadCampaignConfig, startCampaignService } from "@omnihall/campaign";
import { createServiceClient } from "@omnihall/channel-client";
import { developmentCallerKey } from "@omnihall/config";
import { CampaignServiceClient } from "@omnihall/proto/omnihall/campaign/v1/campaign";
import { loadCatalogConfig, seedCatalog, startCatalogService } from "@omnihall/catalog";
import { loadCustomerConfig, seedCustomer, startCustomerService } from "@omnihall/customer";
import { migratedTestDatabase } from "@omnihall/db/testing";
import { loadNotifyConfig, startNotifyService } from "@omnihall/notify";
import { createOrdersDb, loadOrdersConfig, seedOrders, startOrdersService } from "@omnihall/orders";
import { createLogger } from "@omnihall/service-kit";
import { FakeIsmg, FakeSmsc, type MobileOriginated } from "@omnihall/sms-link/testing";
import { uniqueSuffix, waitFor } from "@omnihall/testkit";
import { loadUsageConfig, startUsageService } from "@omnihall/usage";
import { inject, onTestFinished } from "vitest";
import { startSmsHall } from "../app.js";
import { loadSmsHallConfig } from "../config.js";

const appDir = (app: string) => new URL(`../../../${app}/`, import.meta.url);
const SMSC = { systemId: "omnihall", password: "smsc-test" };
/** Notify sends as one SP account, the hall receives the service number's MO as another. */
const ISMG = {
  notify: { sourceAddr: "901234", sharedSecret: "ismg-test" },
  hall: { sourceAddr: "901235", sharedSecret: "ismg-hall" },
};

/** A text the gateway received for a handset, whichever protocol carried it. */
interface Sent {
  to: string;
  text: string;
  concat?: { reference: number; total: number; sequence: number };
}

/** The operator's gateway in the test: an SMSC (SMPP) or a CMPP gateway, both speaking the real protocol. */
interface Gateway {
  deliverMo(mo: MobileOriginated): Promise<number[]>;
  sent(): Sent[];
  notifyEnv: Record<string, string>;
  hallEnv: Record<string, string>;
  close(): Promise<void>;
}

async function startGateway(kind: "smpp" | "cmpp"): Promise<Gateway> {
  if (kind === "cmpp") {
    const ismg = await FakeIsmg.start([ISMG.notify, ISMG.hall]);
    const env = (prefix: string, sp: { sourceAddr: string; sharedSecret: string }) => ({
      [`${prefix}CMPP_PORT`]: String(ismg.port),
      [`${prefix}CMPP_SOURCE_ADDR`]: sp.sourceAddr,
      [`${prefix}CMPP_SHARED_SECRET`]: sp.sharedSecret,
    });
    return {
      deliverMo: (mo) => ismg.deliverMo(mo, { sourceAddr: ISMG.hall.sourceAddr }),
      sent: () => ismg.submits,
      notifyEnv: { SMS_PROVIDER: "cmpp", ...env("", ISMG.notify) },
      hallEnv: { SMS_HALL_GATEWAY: "cmpp", ...env("SMS_HALL_", ISMG.hall) },
      close: () => ismg.close(),
    };
  }
  const smsc = await FakeSmsc.start(SMSC);
  return {
    deliverMo: (mo) => smsc.deliverMo(mo),
    sent: () =>
      smsc.submits.map((submit) => {
        const ie = submit.udh.find((element) => element[0] === 0x00);
        return {
          to: submit.destinationAddr,
          text: submit.text,
          ...(ie && { concat: { reference: ie[2]!, total: ie[3]!, sequence: ie[4]! } }),
        };
      }),
    notifyEnv: {
      SMPP_PORT: String(smsc.port),
      SMPP_SYSTEM_ID: SMSC.systemId,
      SMPP_PASSWORD: SMSC.password,
      SMPP_RATE: "2000",
      SMPP_WINDOW: "50",
    },
    hallEnv: {
      SMS_HALL_SMPP_PORT: String(smsc.port),
      SMS_HALL_SMPP_SYSTEM_ID: SMSC.systemId,
      SMS_HALL_SMPP_PASSWORD: SMSC.password,
    },
    close: () => smsc.close(),
  };
}
const SERVICE_NUMBER = "10086";

/**
 * The SMS hall with everything it talks to, real, for one test: customer, catalog, billing, orders, usage and
 * notify on their own migrated and seeded databases, the test NATS, and one SMSC that notify sends through
 * (transceiver bind) and the hall receives from (receiver bind). With `campaign`, the campaign service too (its
 * durable consumers named for this test); without it, nothing listens where the hall and orders look for it.
 */
export async function smsHallUnderTest(
  options: {
    gateway?: "smpp" | "cmpp";
    env?: Record<string, string>;
    campaign?: boolean;
    /** Settings added to notify's (e.g. its quiet hours) and to the campaign service's (e.g. a live offer bucket). */
    notifyEnv?: Record<string, string>;
    campaignEnv?: Record<string, string>;
  } = {},
) {
  const logger = createLogger("sms-hall-test", { level: "silent" });
  const bus = await JetStreamBus.connect({ url: inject("natsUrl"), name: "sms-hall-test", logger });
  onTestFinished(() => bus.close());
  const stops: Array<() => Promise<void>> = [];

  const apps = [
    "customer",
    "catalog",
    "billing",
    "orders",
    "usage",
    "notify",
    ...(options.campaign ? ["campaign"] : []),
  ];
  const [customerDb, catalogDb, billingDb, ordersDb, usageDb, notifyDb, campaignDb] = await Promise.all(
    apps.map((app) => migratedTestDatabase(appDir(app))),
  );
  // Registered after the databases, so it runs before their drops: services stop while their databases exist.
  onTestFinished(async () => {
    for (const stop of stops.reverse()) await stop();
  });
  await seedCustomer(customerDb!.url);
  await seedCatalog(catalogDb!.url);
  const billingSeed = createBillingDb(billingDb!.url, 2);
  await seedBilling(billingSeed, { subscribers: 20 });
  await billingSeed.$disconnect();

  const gateway = await startGateway(options.gateway ?? "smpp");
  stops.push(() => gateway.close());
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
    config: loadBillingConfig({ ...pool, DATABASE_URL: billingDb!.url, PAYMENT_NOTIFY_PORT: "0" }),
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
      ...gateway.notifyEnv,
      SERVICE_SENDER: SERVICE_NUMBER,
      EVENT_CONSUMER: `smshall-t${uniqueSuffix()}`,
      DISPATCH_POLL_MS: "100",
      ...options.notifyEnv,
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
  const campaign = campaignDb
    ? await startCampaignService({
        config: loadCampaignConfig({
          ...pool,
          DATABASE_URL: campaignDb.url,
          NOTIFY_ADDRESS: notify.address,
          EVENT_CONSUMER: `campaign-smshall-t${uniqueSuffix()}`.toLowerCase().replace(/[^a-z0-9-]/g, ""),
          CAMPAIGN_SCHEDULER_INTERVAL_MS: "200",
          ...options.campaignEnv,
        }),
        bus,
        logger,
      })
    : undefined;
  if (campaign) stops.push(() => campaign.stop());
  const campaignAddress = campaign?.address ?? "127.0.0.1:1";
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
      CAMPAIGN_ADDRESS: campaignAddress,
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
      CAMPAIGN_ADDRESS: campaignAddress,
      ...gateway.hallEnv,
      ...options.env,
    }),
    logger,
  });
  stops.push(() => hall.stop());

  /**
   * Sends a text from a handset and waits for the first text back to it that matches `answer` (orders' and
   * notify's own notices may arrive in between). Fails listing what did arrive.
   */
  async function text(from: string, body: string, answer: RegExp, timeoutMs = 15_000): Promise<string> {
    const before = gateway.sent().length;
    await gateway.deliverMo({ from, to: SERVICE_NUMBER, text: body });
    return textTo(from, answer, before, timeoutMs);
  }

  /** The first whole text (parts joined) to `to` after submit number `after` that matches `answer`. */
  async function textTo(to: string, answer: RegExp, after: number, timeoutMs = 15_000): Promise<string> {
    const texts = () =>
      wholeTexts(
        gateway
          .sent()
          .slice(after)
          .filter((s) => s.to === to),
      );
    return waitFor(`a text to ${to} matching ${answer}`, () => texts().find((t) => answer.test(t)), {
      timeoutMs,
      intervalMs: 20,
    }).catch((error: Error) => {
      throw new Error(`${error.message}; got ${JSON.stringify(texts())}`);
    });
  }

  // The ops console's view of the campaign service (its callers' key), for tests that run campaigns.
  const campaignClient = campaign
    ? createServiceClient(CampaignServiceClient, {
        address: campaign.address,
        caller: "ops-console",
        credential: developmentCallerKey("ops-console"),
      })
    : undefined;
  if (campaignClient) stops.push(async () => campaignClient.close());

  return {
    gateway,
    hall,
    campaign: campaignClient,
    text,
    textTo,
    serviceNumber: SERVICE_NUMBER,
    /** How many texts the gateway has received so far (a mark for textTo). */
    sentCount: () => gateway.sent().length,
    /** Where the services run and their databases, for tests that start more apps (halls, the console) on them. */
    services: {
      customer: { address: customer.address, databaseUrl: customerDb!.url },
      catalog: { address: catalog.address },
      notify: { address: notify.address, databaseUrl: notifyDb!.url },
      orders: { address: orders.address },
      campaign: campaign && { address: campaign.address, databaseUrl: campaignDb!.url },
    },
  };
}

/** The whole texts among these: single ones, and concatenated ones once all their parts are in. */
function wholeTexts(sent: Sent[]): string[] {
  const texts: string[] = [];
  const long = new Map<string, Sent[]>();
  for (const part of sent) {
    if (!part.concat) {
      texts.push(part.text);
      continue;
    }
    const key = `${part.concat.reference}/${part.concat.total}`;
    const parts = [...(long.get(key) ?? []), part];
    long.set(key, parts);
    if (parts.length === part.concat.total) {
      texts.push(
        parts
          .sort((a, b) => a.concat!.sequence - b.concat!.sequence)
          .map((p) => p.text)
          .join(""),
      );
      long.delete(key);
    }
  }
  return texts;
}
