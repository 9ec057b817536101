import { JetStreamBus } from "@omnihall/bus";
import { createServiceClient, type CallOptions, type ServiceClient } from "@omnihall/channel-client";
import { developmentCallerKey, type KNOWN_CALLERS } from "@omnihall/config";
import { customerMigrations, loadCustomerConfig, startCustomerService } from "@omnihall/customer";
import { migratedTestDatabase } from "@omnihall/db/testing";
import { startGatewaySimulator } from "@omnihall/payment-gateway-sim";
import { newId } from "@omnihall/ids";
import { BillingServiceClient } from "@omnihall/proto/omnihall/billing/v1/billing";
import { createLogger, type ActingParty, type ServiceDefinition, type Whereabouts } from "@omnihall/service-kit";
import "@omnihall/testkit";
import pg from "pg";
import { inject, onTestFinished } from "vitest";
import { createBillingDb, loadBillingConfig, startBillingService } from "../index.js";

type Caller = (typeof KNOWN_CALLERS)[number];
type ClientClass<D extends ServiceDefinition> = Parameters<typeof createServiceClient<D>>[0];

let nextNumber = 0;
const msisdnOf = () => `139${String(process.pid % 1000).padStart(3, "0")}${String(++nextNumber).padStart(5, "0")}`;

/**
 * The real billing service for one test: its own migrated database, the test NATS server, a gRPC server on a
 * free port, and beside it the real customer service (own database) that tells billing where subscribers live.
 * `client` calls as the web hall acting for the subscriber each request names (what the web hall does after that
 * subscriber logged in); `clientAs` calls as any caller with any acting party. Everything stops when the test ends.
 */
export async function billingUnderTest(env: Record<string, string> = {}) {
  const logger = createLogger("billing-test", { level: (process.env.BILLING_TEST_LOG ?? "silent") as "silent" });
  const bus = await JetStreamBus.connect({ url: inject("natsUrl"), logger });

  const customerDatabase = await migratedTestDatabase(customerMigrations);
  const customer = await startCustomerService({
    config: loadCustomerConfig({
      NODE_ENV: "test",
      PORT: "0",
      DATABASE_URL: customerDatabase.url,
      LOG_LEVEL: "silent",
    }),
    bus,
    logger,
  });
  const customerDb = new pg.Client({ connectionString: customerDatabase.url });
  await customerDb.connect();

  // The gateways and the acquirer: the simulator's real HTTP server, on a free port of its own.
  const gateways = await startGatewaySimulator({ port: 0 });

  const database = await migratedTestDatabase(new URL("../../", import.meta.url));
  const config = loadBillingConfig({
    DATABASE_URL: database.url,
    PORT: "0",
    PAYMENT_NOTIFY_PORT: "0",
    PAYMENT_GATEWAY_URL: gateways.url,
    ACQUIRER_URL: `${gateways.url}/acquirer`,
    LOG_LEVEL: "silent",
    CUSTOMER_ADDRESS: customer.address,
    ...env,
  });
  const service = await startBillingService({ config, bus, logger });
  const db = createBillingDb(database.url, 2);
  const address = `127.0.0.1:${service.port}`;
  const msisdns = new Map<string, string>();
  const clients: Array<{ close(): void }> = [];

  onTestFinished(async () => {
    for (const client of clients) client.close();
    await service.stop();
    await gateways.stop();
    await customer.stop();
    await customerDb.end();
    await db.$disconnect();
    await bus.close();
  });

  /** A client of `definition` calling as `caller`, acting for `party` on every call unless a call names its own. */
  function clientAs<D extends ServiceDefinition>(
    definition: ClientClass<D>,
    caller: Caller,
    party?: ActingParty | ((request: unknown) => ActingParty | undefined),
  ): ServiceClient<D> {
    // Bursts of 30–100 concurrent calls queue on one row lock; on a loaded 2-core CI box that takes seconds.
    const raw = createServiceClient(definition, {
      address,
      caller,
      credential: developmentCallerKey(caller),
      defaultDeadlineMs: 30_000,
    });
    clients.push(raw);
    if (!party) return raw;
    return new Proxy(raw, {
      get(target, method: string) {
        const call = target[method as keyof typeof target];
        if (method === "close" || typeof call !== "function") return call;
        return (request: unknown, options: CallOptions = {}) => {
          const acting = typeof party === "function" ? party(request) : party;
          return (call as (r: unknown, o: CallOptions) => unknown)(request, { party: acting, ...options });
        };
      },
    });
  }

  /** The subscriber named by a request, as the acting party a hall would sign after their login. */
  const subscriberParty = (request: unknown): ActingParty | undefined => {
    const subscriberId = (request as { subscriberId?: string }).subscriberId;
    if (subscriberId === undefined) return undefined;
    // A request naming nobody or a malformed id: a logged-in stranger asks (the service must refuse, not crash).
    return msisdns.has(subscriberId)
      ? { kind: "subscriber", subscriberId, msisdn: msisdns.get(subscriberId)! }
      : { kind: "subscriber", subscriberId: "sub_stranger", msisdn: "13800000000" };
  };
  const client = clientAs(BillingServiceClient, "web-hall", subscriberParty);
  /** The platform's own client (acting for nobody): the only caller left of TopUp. */
  const platform = clientAs(BillingServiceClient, "platform");
  /** The order saga's client: the only caller that may charge and refund charges. */
  const orders = clientAs(BillingServiceClient, "orders");
  /** Operations support staff of Guangdong: who refunds payments. */
  const support = clientAs(BillingServiceClient, "ops-console", {
    kind: "operator",
    operatorId: "ops-gd-1",
    roles: ["support"],
    provinceScope: "GD",
  });

  /**
   * A subscriber known to the customer service (living in `place`) with a billing account holding `balanceFen`.
   */
  async function account(balanceFen: bigint, place: Whereabouts = { provinceCode: "GD", city: "深圳" }) {
    const subscriberId = newId("sub");
    const msisdn = msisdnOf();
    await customerDb.query(
      `INSERT INTO subscriber (id, msisdn, display_name, province_code, city, plan_code, status, language_code, time_zone)
       VALUES ($1, $2, '测试用户', $3, $4, 'PLAN_5G_59', 'ACTIVE', 'zh-CN', 'Asia/Shanghai')`,
      [subscriberId, msisdn, place.provinceCode, place.city ?? ""],
    );
    msisdns.set(subscriberId, msisdn);
    await db.account.create({ data: { subscriberId, balanceFen } });
    return subscriberId;
  }

  /** The acting party of a subscriber made by account(). */
  const asSubscriber = (subscriberId: string): Extract<ActingParty, { kind: "subscriber" }> => ({
    kind: "subscriber",
    subscriberId,
    msisdn: msisdns.get(subscriberId) ?? "13800000000",
  });

  /** Makes billing's client act for a subscriber who exists only in billing's seed (the customer has no row). */
  const knowSubscriber = (subscriberId: string, msisdn: string) => msisdns.set(subscriberId, msisdn);

  return {
    gateways,
    client,
    orders,
    platform,
    support,
    clientAs,
    knowSubscriber,
    subscriberParty,
    asSubscriber,
    db,
    bus,
    service,
    config,
    account,
    address,
    logger,
  };
}
