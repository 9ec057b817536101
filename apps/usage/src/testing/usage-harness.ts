import { randomBytes } from "node:crypto";
import pg from "pg";
import { createServiceClient } from "@omnihall/channel-client";
import { developmentCallerKey } from "@omnihall/config";
import { InProcessBus, type EventBus, type EventDefinition } from "@omnihall/bus";
import { migratedTestDatabase } from "@omnihall/db/testing";
import { AllowanceRecurrence, AllowanceUnit, type Allowance } from "@omnihall/proto/omnihall/catalog/v1/allowance";
import type { ProductSnapshot } from "@omnihall/proto/omnihall/orders/v1/events";
import { UsageServiceClient, type UsageRecord } from "@omnihall/proto/omnihall/usage/v1/usage";
import { createLogger, type Logger } from "@omnihall/service-kit";
import { waitFor } from "@omnihall/testkit";
import { onTestFinished } from "vitest";
import { ProductActivated, ProductDeactivated } from "../events.js";
import { loadUsageConfig, startUsageService } from "../index.js";

/**
 * A usage service for one test: its own migrated database, the real gRPC server on a free port and a client to
 * it, and a bus: by default in-process (the bus kit's contract suite proves it keeps JetStream's promises; a
 * per-test bus keeps parallel tests from reading each other's events), or `connectBus` to a NATS server of the
 * test's own. `restart()` stops the service and starts a new one on the same database — with a new bus
 * connection when connectBus is given — as a crash-and-redeploy would.
 */
export async function startUsageHarness(
  env: Record<string, string> = {},
  options: { connectBus?: (logger: Logger) => Promise<EventBus> } = {},
) {
  const database = await migratedTestDatabase(new URL("../..", import.meta.url));
  // The test's own look at the outbox (one connection: the service has its own pool).
  const outbox = new pg.Pool({ connectionString: database.url, max: 1 });
  const logger = createLogger("usage-test", { level: "silent" });
  const connectBus = options.connectBus ?? (() => Promise.resolve(new InProcessBus({ logger })));
  let bus = await connectBus(logger);
  const config = loadUsageConfig({ PORT: "0", DATABASE_URL: database.url, LOG_LEVEL: "silent", ...env });
  let service = await startUsageService({ config, bus, logger });
  const connect = () =>
    createServiceClient(UsageServiceClient, {
      address: `127.0.0.1:${service.port}`,
      caller: "platform",
      credential: developmentCallerKey("platform"),
      defaultDeadlineMs: 60_000,
    });
  const harness = {
    databaseUrl: database.url,
    bus,
    config,
    client: connect(),
    /** Publishes an orders event as the orders service's outbox relay would. */
    publish: async <T>(event: EventDefinition<T>, message: T) => {
      await harness.bus.publish(event.subject, event.codec.encode(message).finish(), {
        msgId: `evt_${randomBytes(8).toString("hex")}`,
      });
    },
    activate: (product: ProductSnapshot) => harness.publish(ProductActivated, { product }),
    deactivate: (product: ProductSnapshot) => harness.publish(ProductDeactivated, { product, reason: 1 }),
    /** Stops the service (in-flight calls are cut off after the shutdown timeout) and starts it again. */
    restart: async () => {
      harness.client.close();
      await service.stop();
      if (options.connectBus) {
        await bus.close();
        bus = await connectBus(logger);
        harness.bus = bus;
      }
      service = await startUsageService({ config, bus, logger });
      harness.client = connect();
    },
    /** Everything published on a usage subject, in order, from the start of the stream. */
    collect: async <T>(event: EventDefinition<T>) => {
      const received: Array<{ msgId: string | undefined; message: T }> = [];
      const subscription = await harness.bus.subscribe(
        {
          durable: `test--${event.subject.split(".").slice(1).join("-").replace(/_/g, "-")}`,
          subjects: [event.subject],
        },
        async (delivery) => {
          received.push({ msgId: delivery.msgId, message: event.codec.decode(delivery.payload) });
          delivery.ack();
        },
      );
      onTestFinished(() => subscription.stop());
      return received;
    },
    /**
     * Waits until the outbox holds no unpublished `event` and `received` (from `collect`) has as many as the
     * outbox ever held: after this, one more would have had to be written by work still to come, so a test can
     * assert that nothing extra was published.
     */
    allCollected: async <T>(event: EventDefinition<T>, received: unknown[], timeoutMs = 20_000) => {
      await waitFor(
        `every ${event.subject} in the outbox published and collected`,
        async () => {
          const { rows } = await outbox.query<{ unpublished: number; total: number }>(
            `SELECT count(*) FILTER (WHERE published_at IS NULL)::int AS unpublished, count(*)::int AS total
               FROM outbox_message WHERE subject = $1`,
            [event.subject],
          );
          return rows[0]!.unpublished === 0 && received.length >= rows[0]!.total;
        },
        { timeoutMs },
      );
    },
  };
  onTestFinished(async () => {
    harness.client.close();
    await service.stop();
    await harness.bus.close();
    await outbox.end();
  });
  return harness;
}

export type UsageHarness = Awaited<ReturnType<typeof startUsageHarness>>;

export const unique = () => randomBytes(5).toString("hex");

export const KB = AllowanceUnit.ALLOWANCE_UNIT_DATA_KB;
export const SECONDS = AllowanceUnit.ALLOWANCE_UNIT_VOICE_SECONDS;
export const SMS = AllowanceUnit.ALLOWANCE_UNIT_SMS_COUNT;

export const monthly = (unit: AllowanceUnit, quantity: bigint): Allowance => ({
  unit,
  quantity,
  recurrence: AllowanceRecurrence.ALLOWANCE_RECURRENCE_MONTHLY,
  roamingCountryCode: "",
});

export const once = (unit: AllowanceUnit, quantity: bigint, roamingCountryCode = ""): Allowance => ({
  unit,
  quantity,
  recurrence: AllowanceRecurrence.ALLOWANCE_RECURRENCE_ONCE,
  roamingCountryCode,
});

export function product(
  subscriberId: string,
  allowances: Allowance[],
  change: Partial<ProductSnapshot> = {},
): ProductSnapshot {
  return {
    productId: `prd_${unique()}`,
    subscriberId,
    orderId: "",
    offeringCode: "PLAN_TEST",
    offeringName: { zhCn: "测试套餐", en: "Test plan" },
    allowances,
    startTime: new Date("2026-01-01T00:00:00Z"),
    endTime: undefined,
    trial: false,
    subscriberTimeZone: "Asia/Shanghai",
    ...change,
  };
}

/** A usage record; ids unique unless given. */
export function usage(
  subscriberId: string,
  unit: AllowanceUnit,
  quantity: bigint,
  change: Partial<UsageRecord> = {},
): UsageRecord {
  return {
    source: "ggsn-test",
    recordId: `r-${unique()}`,
    subscriberId,
    unit,
    quantity,
    usageTime: new Date(Date.now() - 60_000),
    provinceCode: "GD",
    roamingCountryCode: "",
    ingestTime: undefined,
    ...change,
  };
}
