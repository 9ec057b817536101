import { InProcessBus, type EventBus } from "@omnihall/bus";
import { createServiceClient, type ServiceClient } from "@omnihall/channel-client";
import { developmentCallerKey } from "@omnihall/config";
import { migratedTestDatabase } from "@omnihall/db/testing";
import { CustomerServiceClient, type CustomerServiceService } from "@omnihall/proto/omnihall/customer/v1/customer";
import type { KnownCaller } from "@omnihall/service-kit";
import { captureLogs } from "@omnihall/service-kit/testing";
import { onTestFinished } from "vitest";
import { loadCustomerConfig } from "../config.js";
import { createCustomerDb, type CustomerDb } from "../db.js";
import type { Prisma } from "../generated/prisma/client.js";
import { startCustomerService } from "../service.js";

/** A clock a test moves by hand, to expire codes and lift locks without waiting. */
export class TestClock {
  #now: Date;
  constructor(start = new Date("2026-11-22T10:00:00Z")) {
    this.#now = start;
  }
  now = () => new Date(this.#now);
  advance(ms: number): void {
    this.#now = new Date(this.#now.getTime() + ms);
  }
}

export interface CustomerHarness {
  /** Calls as the web hall (the login RPCs, which a hall calls before anyone acts). */
  client: ServiceClient<typeof CustomerServiceService>;
  /** A client calling as another known caller, e.g. "orders" (closed when the test finishes). */
  clientAs(caller: KnownCaller): ServiceClient<typeof CustomerServiceService>;
  /** The service's own database, to arrange subscribers and look at what was stored. */
  db: CustomerDb;
  databaseUrl: string;
  address: string;
  clock: TestClock;
  logs: Array<Record<string, unknown>>;
  /** The code the service logged (development) for the last StartLogin of `msisdn`. */
  lastLoggedCode(msisdn: string): string;
  addSubscriber(overrides?: Partial<Prisma.SubscriberCreateInput>): Promise<{ id: string; msisdn: string }>;
}

let nextNumber = 0;

/**
 * The real customer service for one test: a freshly migrated database, the gRPC server on a free port with the
 * outbox relay on `bus` (an in-process bus unless the test brings one), a moveable clock, and a client calling
 * as the web hall. Everything is stopped and dropped when the test finishes.
 */
export async function startCustomerHarness(options: { bus?: EventBus } = {}): Promise<CustomerHarness> {
  const database = await migratedTestDatabase(new URL("../..", import.meta.url));
  const { logger, entries } = captureLogs("customer");
  const bus = options.bus ?? new InProcessBus({ logger });
  const clock = new TestClock();
  const config = loadCustomerConfig({
    NODE_ENV: "test",
    PORT: "0",
    DATABASE_URL: database.url,
    DATABASE_POOL_SIZE: "5",
  });
  const service = await startCustomerService({ config, bus, logger, now: clock.now });
  const db = createCustomerDb(database.url, 2);
  const client = createServiceClient(CustomerServiceClient, {
    address: service.address,
    caller: "web-hall",
    credential: developmentCallerKey("web-hall"),
  });
  // Registered first, run last (vitest runs onTestFinished callbacks in reverse): the database is dropped after.
  onTestFinished(async () => {
    client.close();
    await db.$disconnect();
    await service.stop();
    if (!options.bus) await bus.close();
  });

  const others: Array<ServiceClient<typeof CustomerServiceService>> = [];
  onTestFinished(() => {
    for (const other of others) other.close();
  });

  return {
    client,
    clientAs(caller) {
      const other = createServiceClient(CustomerServiceClient, {
        address: service.address,
        caller,
        credential: developmentCallerKey(caller),
      });
      others.push(other);
      return other;
    },
    db,
    databaseUrl: database.url,
    address: service.address,
    clock,
    logs: entries,
    lastLoggedCode(msisdn) {
      const issued = entries.filter(
        (entry) => entry.msg === "login code issued (development)" && entry.msisdn === msisdn,
      );
      const code = issued.at(-1)?.code;
      if (typeof code !== "string") throw new Error(`No login code was logged for ${msisdn}`);
      return code;
    },
    async addSubscriber(overrides = {}) {
      nextNumber += 1;
      const msisdn = overrides.msisdn ?? `1390000${String(nextNumber).padStart(4, "0")}`;
      return db.subscriber.create({
        data: {
          id: `sub_test${msisdn}`,
          msisdn,
          displayName: "测试用户",
          provinceCode: "GD",
          city: "深圳",
          planCode: "PLAN_5G_59",
          status: "ACTIVE",
          languageCode: "zh-CN",
          timeZone: "Asia/Shanghai",
          ...overrides,
        },
        select: { id: true, msisdn: true },
      });
    },
  };
}
