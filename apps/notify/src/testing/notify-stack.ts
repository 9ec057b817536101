import { inject, onTestFinished } from "vitest";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { JetStreamBus, streamName, type EventDefinition } from "@omnihall/bus";
import { consumerCaughtUp } from "@omnihall/bus/testing";
import { loadCatalogConfig, seedCatalog, startCatalogService } from "@omnihall/catalog";
import { createServiceClient } from "@omnihall/channel-client";
import { developmentCallerKey } from "@omnihall/config";
import { loadCustomerConfig, seedCustomer, startCustomerService } from "@omnihall/customer";
import { migratedTestDatabase } from "@omnihall/db/testing";
import { newId } from "@omnihall/ids";
import { NotifyServiceClient } from "@omnihall/proto/omnihall/notify/v1/notify";
import { uniqueSuffix, waitFor } from "@omnihall/testkit";
import { createPrismaClient } from "@omnihall/db";
import { loadNotifyConfig, startNotifyService, type RunningNotifyService } from "../index.js";
import { PrismaClient } from "../db.js";
import { NOTICE_EVENTS } from "../events/notify-events.js";
import { SMSC_CREDENTIALS, silentLogger, startFakeSmsc } from "./sms-fixture.js";

const appDir = (app: string) => new URL(`../../../${app}/`, import.meta.url);

/**
 * Everything the notify service talks to, real and on free ports: its own migrated database, NATS JetStream,
 * the customer and catalog services (seeded with the demo data, on their own databases) and an SMPP SMSC.
 * `startNotify` starts the service itself (again, for restart tests) on the same database and durable consumer.
 */
export async function startNotifyStack(env: Record<string, string> = {}) {
  const logger = silentLogger;
  const bus = await JetStreamBus.connect({ url: inject("natsUrl"), name: "notify-test", logger });
  onTestFinished(() => bus.close());

  const customerDb = await migratedTestDatabase(appDir("customer"));
  await seedCustomer(customerDb.url);
  const customer = await startCustomerService({
    config: loadCustomerConfig({ DATABASE_URL: customerDb.url, PORT: "0", DATABASE_POOL_SIZE: "2" }),
    bus,
    logger,
  });
  onTestFinished(() => customer.stop());

  const catalogDb = await migratedTestDatabase(appDir("catalog"));
  await seedCatalog(catalogDb.url);
  const catalog = await startCatalogService({
    config: loadCatalogConfig({ DATABASE_URL: catalogDb.url, PORT: "0", DATABASE_POOL_SIZE: "2" }),
    bus,
    logger,
  });
  onTestFinished(() => catalog.stop());

  const smsc = await startFakeSmsc();
  const notifyDb = await migratedTestDatabase(appDir("notify"));
  const db = createPrismaClient(PrismaClient, notifyDb.url, { poolSize: 2 });
  onTestFinished(() => db.$disconnect());

  const config = loadNotifyConfig({
    DATABASE_URL: notifyDb.url,
    DATABASE_POOL_SIZE: "3",
    PORT: "0",
    CUSTOMER_ADDRESS: customer.address,
    CATALOG_ADDRESS: catalog.address,
    SMPP_PORT: String(smsc.port),
    SMPP_SYSTEM_ID: SMSC_CREDENTIALS.systemId,
    SMPP_PASSWORD: SMSC_CREDENTIALS.password,
    SMPP_RATE: "500",
    // Each test its own durable, so parallel tests never take each other's events.
    EVENT_CONSUMER: `notify-t${uniqueSuffix()}`,
    SEND_RETRY_BASE_MS: "50",
    ...env,
  });

  onTestFinished(() => deleteDurables(`${config.EVENT_CONSUMER}--notices`));

  const running = new Set<RunningNotifyService>();
  async function startNotify() {
    const service = await startNotifyService({ config, bus, logger });
    running.add(service);
    return {
      ...service,
      stop: async () => {
        running.delete(service);
        await service.stop();
      },
    };
  }
  onTestFinished(async () => {
    await Promise.all([...running].map((service) => service.stop()));
  });
  const notify = await startNotify();

  // As the platform's own tools: trusted with the subscriber and channel each request names (these tests play
  // every hall and the campaign side).
  const client = createServiceClient(NotifyServiceClient, {
    address: notify.address,
    caller: "platform",
    credential: developmentCallerKey("platform"),
  });
  onTestFinished(() => client.close());

  /** Publishes an event as its producer's outbox relay would (msgId = a fresh outbox id unless given). */
  async function publish<T>(event: EventDefinition<T>, message: T, msgId = newId("evt")) {
    return bus.publish(event.subject, event.codec.encode(message).finish(), { msgId });
  }

  /**
   * Waits until the work so far is finished — the notice consumer has acked every event published to it and no
   * message waits to be sent — so a test can then assert that nothing more was sent: there is nothing left
   * that could send it.
   */
  async function settled(): Promise<void> {
    const durable = `${config.EVENT_CONSUMER}--notices`;
    const domains = NOTICE_EVENTS.map((event) => event.domain);
    await waitFor("the notice consumer to ack every event", () => consumerCaughtUp(domains, durable));
    await waitFor(
      "the queue to drain",
      async () => (await db.message.count({ where: { status: { in: ["QUEUED", "DEFERRED"] } } })) === 0,
    );
  }

  return {
    bus,
    smsc,
    db,
    config,
    notify,
    client,
    startNotify,
    publish,
    settled,
    customer,
    customerDatabaseUrl: customerDb.url,
  };
}

/** The test's durable consumers would otherwise stay on the shared NATS server for good. */
async function deleteDurables(durable: string): Promise<void> {
  const nc = await connect({ servers: inject("natsUrl") });
  try {
    const jsm = await jetstreamManager(nc);
    const streams = new Set(NOTICE_EVENTS.map((event) => streamName(event.domain)));
    await Promise.all([...streams].map((stream) => jsm.consumers.delete(stream, durable).catch(() => false)));
  } finally {
    await nc.close();
  }
}
