import { InProcessBus } from "@omnihall/bus";
import { createServiceClient, type ClientClass, type ServiceClient } from "@omnihall/channel-client";
import { developmentCallerKey } from "@omnihall/config";
import { migratedTestDatabase } from "@omnihall/db/testing";
import { FakeSmsc } from "@omnihall/notify/fake-smsc";
import { BillingServiceClient } from "@omnihall/proto/omnihall/billing/v1/billing";
import { CampaignServiceClient } from "@omnihall/proto/omnihall/campaign/v1/campaign";
import { PointsServiceClient } from "@omnihall/proto/omnihall/billing/v1/points";
import { CatalogServiceClient } from "@omnihall/proto/omnihall/catalog/v1/catalog";
import { CustomerServiceClient } from "@omnihall/proto/omnihall/customer/v1/customer";
import { TerminalServiceClient } from "@omnihall/proto/omnihall/customer/v1/terminal";
import { NotifyServiceClient } from "@omnihall/proto/omnihall/notify/v1/notify";
import { OrderServiceClient } from "@omnihall/proto/omnihall/orders/v1/orders";
import { AccountOpeningServiceClient } from "@omnihall/proto/omnihall/orders/v1/account_opening";
import { AgentServiceClient } from "@omnihall/proto/omnihall/customer/v1/agent";
import { OperatorServiceClient } from "@omnihall/proto/omnihall/customer/v1/operator";
import { SubscriberRegistrationServiceClient } from "@omnihall/proto/omnihall/customer/v1/registration";
import { UsageServiceClient } from "@omnihall/proto/omnihall/usage/v1/usage";
import { createLogger, type ServiceDefinition } from "@omnihall/service-kit";
import { PLATFORM_SERVICES } from "../services.js";

/** Every domain service's client class, by the platform service that serves it. */
export const SERVICE_CLIENTS = {
  customer: [
    CustomerServiceClient,
    TerminalServiceClient,
    AgentServiceClient,
    OperatorServiceClient,
    SubscriberRegistrationServiceClient,
  ],
  catalog: [CatalogServiceClient],
  orders: [OrderServiceClient, AccountOpeningServiceClient],
  usage: [UsageServiceClient],
  notify: [NotifyServiceClient],
  billing: [BillingServiceClient, PointsServiceClient],
  campaign: [CampaignServiceClient],
} as const;

export type PlatformServiceName = keyof typeof SERVICE_CLIENTS;
type AnyClientClass = (typeof SERVICE_CLIENTS)[PlatformServiceName][number];

/** Callees first: a service starts after those it calls, each told where the earlier ones listen. */
const START_ORDER: readonly PlatformServiceName[] = [
  "customer",
  "catalog",
  "billing",
  "usage",
  "orders",
  "notify",
  "campaign",
];
const SMSC = { systemId: "omnihall", password: "omnihall" };

export interface PlatformUnderTest {
  addresses: Record<PlatformServiceName, string>;
  /** A client of one proto service calling with `caller`'s development key. */
  clientOf<C extends AnyClientClass>(Client: C, caller: string): ServiceClient<C["service"]>;
  stop(): Promise<void>;
}

/**
 * Every domain service as `npm start` runs it (same start functions), each on its own freshly migrated database
 * (customer seeded with the demo subscribers), an in-process bus and a test SMSC. For a whole test file: start
 * it in beforeAll, stop it in afterAll.
 */
export async function startPlatformUnderTest(): Promise<PlatformUnderTest> {
  const logger = createLogger("platform-test", { level: "silent" });
  const bus = new InProcessBus({ logger });
  const smsc = await FakeSmsc.start(SMSC, { record: false });
  const stops: Array<() => Promise<void> | void> = [() => bus.close(), () => smsc.close()];
  const env: Record<string, string> = {
    NODE_ENV: "test",
    // Every listener on a free port: tests run side by side (and beside `npm start`).
    PORT: "0",
    PAYMENT_NOTIFY_PORT: "0",
    DELIVERY_REPORT_PORT: "0",
    METRICS_PORT: "0",
    LOG_LEVEL: "silent",
    DATABASE_POOL_SIZE: "4",
    SMPP_PORT: String(smsc.port),
    SMPP_SYSTEM_ID: SMSC.systemId,
    SMPP_PASSWORD: SMSC.password,
  };
  const addresses = {} as Record<PlatformServiceName, string>;
  const clients: Array<{ close(): void }> = [];
  const stop = async () => {
    for (const client of clients.splice(0)) client.close();
    for (const step of stops.splice(0).reverse()) await step();
  };
  try {
    for (const name of START_ORDER) {
      const service = PLATFORM_SERVICES.find((candidate) => candidate.name === name)!;
      const database = await migratedTestDatabase(service.migrations, { keep: true });
      stops.push(() => database.drop());
      if (name === "customer") await service.seed!(database.url);
      const running = await service.start({ ...env, DATABASE_URL: database.url }, bus, logger);
      stops.push(() => running.stop());
      addresses[name] = running.address;
      env[`${name.toUpperCase()}_ADDRESS`] = running.address;
    }
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    addresses,
    clientOf(Client, caller) {
      const service = (Object.keys(SERVICE_CLIENTS) as PlatformServiceName[]).find((name) =>
        (SERVICE_CLIENTS[name] as readonly AnyClientClass[]).includes(Client),
      )!;
      const client = createServiceClient(Client as unknown as ClientClass<ServiceDefinition>, {
        address: addresses[service],
        caller,
        credential: developmentCallerKey(caller),
        defaultDeadlineMs: 15_000,
        retry: { maxAttempts: 1 },
      });
      clients.push(client);
      return client as never;
    },
    stop,
  };
}
