import { InProcessBus, type EventBus } from "@omnihall/bus";
import { billingMigrations, createBillingDb, loadBillingConfig, startBillingService } from "@omnihall/billing";
import { startTestCatalog } from "@omnihall/catalog/testing";
import { createServiceClient, type CallOptions, type ServiceClient } from "@omnihall/channel-client";
import { developmentCallerKey } from "@omnihall/config";
import { customerMigrations, loadCustomerConfig, seedCustomer, startCustomerService } from "@omnihall/customer";
import { migratedTestDatabase } from "@omnihall/db/testing";
import { BillingServiceClient, type BillingServiceService } from "@omnihall/proto/omnihall/billing/v1/billing";
import { OrderServiceClient, type OrderServiceService } from "@omnihall/proto/omnihall/orders/v1/orders";
import { createLogger, type ActingParty, type Logger } from "@omnihall/service-kit";
import { onTestFinished } from "vitest";
import { createOrdersDb, loadOrdersConfig, ordersMigrations, startOrdersService, type OrdersDb } from "../index.js";

/** What the real catalog, customer and billing services started for a test listen on. */
export interface Neighbours {
  catalogAddress: string;
  customerAddress: string;
  billingAddress: string;
  /** Billing's own database, to open accounts with a chosen balance. */
  billingDb: ReturnType<typeof createBillingDb>;
  /** A billing client (as the order engine, which reads charges to reconcile) to read charges. */
  billing: ServiceClient<typeof BillingServiceService>;
  /** A catalog client (as the orders service), e.g. to list numbers for sale. */
  catalog: Awaited<ReturnType<typeof startTestCatalog>>["client"];
  /** Opens a prepaid account for a (demo) subscriber. */
  openAccount(subscriberId: string, balanceFen: bigint): Promise<void>;
}

const silent = createLogger("orders-test", { level: "silent" });

/**
 * Real catalog (demo catalog), customer (demo subscribers) and billing services for one test, each on its own
 * fresh database and a free port, on `bus`. Everything stops when the test ends.
 */
export async function startNeighbours(bus: EventBus): Promise<Neighbours> {
  const catalog = await startTestCatalog();

  const customerDatabase = await migratedTestDatabase(customerMigrations);
  await seedCustomer(customerDatabase.url);
  const customer = await startCustomerService({
    config: loadCustomerConfig({
      NODE_ENV: "test",
      PORT: "0",
      DATABASE_URL: customerDatabase.url,
      LOG_LEVEL: "silent",
    }),
    bus,
    logger: silent,
  });

  const billingDatabase = await migratedTestDatabase(billingMigrations);
  const billingService = await startBillingService({
    config: loadBillingConfig({
      DATABASE_URL: billingDatabase.url,
      PORT: "0",
      // Its payment notification listener too: tests start billings side by side.
      PAYMENT_NOTIFY_PORT: "0",
      LOG_LEVEL: "silent",
    }),
    bus,
    logger: silent,
  });
  const billingDb = createBillingDb(billingDatabase.url, 2);
  const billing = createServiceClient(BillingServiceClient, {
    address: billingService.address,
    caller: "orders",
    credential: developmentCallerKey("orders"),
  });
  onTestFinished(async () => {
    billing.close();
    await billingDb.$disconnect();
    await billingService.stop();
    await customer.stop();
  });
  return {
    catalogAddress: catalog.address,
    catalog: catalog.client,
    customerAddress: customer.address,
    billingAddress: billingService.address,
    billingDb,
    billing,
    async openAccount(subscriberId, balanceFen) {
      await billingDb.account.create({ data: { subscriberId, balanceFen } });
    },
  };
}

/** Environment for an orders service that talks to `neighbours` (fast polling, instant simulator by default). */
export function ordersEnv(neighbours: Neighbours, databaseUrl: string, env: Record<string, string> = {}) {
  return {
    NODE_ENV: "test",
    PORT: "0",
    LOG_LEVEL: "silent",
    DATABASE_URL: databaseUrl,
    CATALOG_ADDRESS: neighbours.catalogAddress,
    CUSTOMER_ADDRESS: neighbours.customerAddress,
    BILLING_ADDRESS: neighbours.billingAddress,
    SAGA_POLL_MS: "50",
    SAGA_RETRY_MS: "100",
    PROVISIONING_LATENCY_MS: "0",
    INSTALLATION_STEP_MS: "0",
    LIFECYCLE_INTERVAL_MS: "3600000",
    ...env,
  };
}

export interface OrdersHarness extends Neighbours {
  /**
   * An OrderService client as the platform's own tools: trusted with the subscriber and channel each request
   * names, as these tests play every hall. Calls as a hall acting for a party: clientAs + the `party` option.
   */
  client: ServiceClient<typeof OrderServiceService>;
  clientAs(caller: string, party?: ActingParty): ServiceClient<typeof OrderServiceService>;
  /** Where the orders service listens (for clients of its other proto services). */
  address: string;
  /** The orders service's own database, to look at what was stored. */
  db: OrdersDb;
  databaseUrl: string;
  bus: InProcessBus;
  runLifecycle(now?: Date): Promise<void>;
}

/** A client whose every call acts for `party` (as a hall does once someone logged in), unless a call names another. */
function actingFor<C extends object>(client: C, party: ActingParty): C {
  return new Proxy(client, {
    get(target, key, receiver) {
      const value: unknown = Reflect.get(target, key, receiver);
      if (typeof value !== "function" || key === "close") return value;
      return (request: unknown, options: CallOptions = {}) =>
        (value as (request: unknown, options: CallOptions) => unknown).call(target, request, { party, ...options });
    },
  });
}

/**
 * The real orders service with real neighbours, on an in-process bus, for one test. `logger` is the orders
 * service's own (silent unless a test watches for a line).
 */
export async function startOrdersHarness(
  env: Record<string, string> = {},
  { logger = silent }: { logger?: Logger } = {},
): Promise<OrdersHarness> {
  const bus = new InProcessBus({ logger: silent });
  const neighbours = await startNeighbours(bus);
  const database = await migratedTestDatabase(ordersMigrations);
  const service = await startOrdersService({
    config: loadOrdersConfig(ordersEnv(neighbours, database.url, env)),
    bus,
    logger,
  });
  const db = createOrdersDb(database.url, 2);
  const clients: Array<{ close(): void }> = [];
  const clientAs = (caller: string, party?: ActingParty) => {
    const client = createServiceClient(OrderServiceClient, {
      address: service.address,
      caller,
      credential: developmentCallerKey(caller),
      defaultDeadlineMs: 20_000,
    });
    clients.push(client);
    return party ? actingFor(client, party) : client;
  };
  onTestFinished(async () => {
    for (const client of clients) client.close();
    await db.$disconnect();
    await service.stop();
    await bus.close();
  });
  return {
    ...neighbours,
    client: clientAs("platform"),
    clientAs,
    address: service.address,
    db,
    databaseUrl: database.url,
    bus,
    runLifecycle: (now) => service.runLifecycle(now),
  };
}
