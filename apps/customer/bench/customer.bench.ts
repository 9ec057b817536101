/**
 * Customer throughput on this machine, over real gRPC and a real PostgreSQL (DATABASE_URL's server, default
 * local), on the 3000 demo subscribers: subscriber look-ups and lists (every hall's first call), and the login
 * pair StartLogin → VerifyLogin, whose writes queue per number. Prints figures; never fails on speed.
 */
import { randomBytes, randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { InProcessBus } from "@omnihall/bus";
import { createServiceClient } from "@omnihall/channel-client";
import { developmentCallerKey } from "@omnihall/config";
import { databaseUrlFor, dropDatabase, maintenanceUrl, migrateDeploy } from "@omnihall/db";
import { demoSubscribers } from "@omnihall/demo-data";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { CustomerServiceClient, ListSubscribersRequest } from "@omnihall/proto/omnihall/customer/v1/customer";
import { createLogger } from "@omnihall/service-kit";
import { customerMigrations, loadCustomerConfig, seedCustomer, startCustomerService } from "../src/index.js";
import { measureCalls } from "@omnihall/testkit/bench";

const CONCURRENCY = 32;
const measure = (label: string, count: number, call: (i: number) => Promise<unknown>) =>
  measureCalls(label, count, call, { concurrency: CONCURRENCY });
const baseUrl = process.env.DATABASE_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const databaseUrl = databaseUrlFor(baseUrl, `omnihall_customer_bench_${randomBytes(4).toString("hex")}`);

// The development log carries the codes, which is how the bench (like a developer) learns them.
const codes = new Map<string, string>();
const logger = createLogger("customer", {
  level: "info",
  destination: {
    write(line: string) {
      const entry = JSON.parse(line) as { msg?: string; msisdn?: string; code?: string };
      if (entry.msg === "login code issued (development)") codes.set(entry.msisdn!, entry.code!);
    },
  },
});

await migrateDeploy({ ...customerMigrations, databaseUrl });
const bus = new InProcessBus({ logger });
const service = await startCustomerService({
  config: loadCustomerConfig({
    DATABASE_URL: databaseUrl,
    PORT: "0",
    DATABASE_POOL_SIZE: "20",
    LOGIN_CODE_LOG: "true",
  }),
  bus,
  logger,
});
// Each RPC as its real caller: look-ups as the order engine, lists as campaigns, the login pair as the web hall.
const clientAs = (caller: string) =>
  createServiceClient(CustomerServiceClient, {
    address: service.address,
    caller,
    credential: developmentCallerKey(caller),
    defaultDeadlineMs: 30_000,
  });
const client = clientAs("web-hall");
const orders = clientAs("orders");
const campaigns = clientAs("campaigns");
try {
  const seedStarted = performance.now();
  const seeded = await seedCustomer(databaseUrl);
  console.log(
    `customer bench: seeded ${seeded.subscribers} subscribers in ${(performance.now() - seedStarted).toFixed(0)} ms, ` +
      `concurrency ${CONCURRENCY}`,
  );
  const numbers = demoSubscribers().map((demo) => demo.msisdn);

  await measure("GetSubscriber (by MSISDN)", 5000, (i) =>
    orders.getSubscriber({ msisdn: numbers[i % numbers.length] }),
  );
  await measure("ListSubscribers (GD, 50)", 2000, () =>
    campaigns.listSubscribers(ListSubscribersRequest.fromPartial({ provinceCode: "GD", pageSize: 50 })),
  );
  await measure("StartLogin (distinct numbers)", numbers.length, (i) =>
    client.startLogin({ requestId: randomUUID(), msisdn: numbers[i]!, channel: Channel.CHANNEL_WEB_HALL }),
  );
  await measure("VerifyLogin (right code)", numbers.length, (i) =>
    client.verifyLogin({
      requestId: randomUUID(),
      msisdn: numbers[i]!,
      code: codes.get(numbers[i]!) ?? "",
      channel: Channel.CHANNEL_WEB_HALL,
    }),
  );
  const requestId = randomUUID();
  await measure("VerifyLogin (one number, retries)", 1000, () =>
    client.verifyLogin({ requestId, msisdn: numbers[0]!, code: "000000", channel: Channel.CHANNEL_WEB_HALL }),
  );
} finally {
  for (const open of [client, orders, campaigns]) open.close();
  await service.stop();
  await bus.close();
  await dropDatabase(maintenanceUrl(baseUrl), new URL(databaseUrl).pathname.slice(1));
}
