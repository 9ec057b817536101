/**
 * `npm run faults`: faults survived, measured (issue 14 item 4). Two instances of each domain service the load
 * touches (customer, catalog, billing, orders, usage, notify), each from its bundle in its own process on fresh
 * databases, callers balancing over both; a 3-node JetStream cluster with every stream at R3; an SMSC simulator.
 * A mixed load (top-ups, orders through the saga, usage ingest crossing thresholds, SMS sends — each call with a
 * request id and retried with it, as a real caller would) runs while one instance of each service in turn, and
 * then one NATS node, is killed with SIGKILL and restarted a few seconds later. Then it reconciles from the
 * services' databases, APIs and the SMSC: every top-up credited once, every order completed (charged once) or
 * failed and refunded, every threshold event once, every SMS submitted once. Prints a table; never fails on it.
 *
 *     npm run faults                       # builds first; FAULTS_DURATION_S (default 80), FAULTS_SCALE (rates ×)
 */
import { randomBytes } from "node:crypto";
import { existsSync } from "node:fs";
import { mkdir, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { billingMigrations, createBillingDb, seedBilling } from "@omnihall/billing";
import { JetStreamBus, type Logger } from "@omnihall/bus";
import { catalogMigrations, seedCatalog } from "@omnihall/catalog";
import { createServiceClient, ServiceCallError } from "@omnihall/channel-client";
import { developmentCallerKey } from "@omnihall/config";
import { customerMigrations, seedCustomer } from "@omnihall/customer";
import { migrateDeploy } from "@omnihall/db";
import { demoSubscribers } from "@omnihall/demo-data";
import { findNatsServer, NATS_INSTALL_HINT, repoRoot, startNatsCluster } from "@omnihall/devstack";
import { notifyMigrations } from "@omnihall/notify";
import { ordersMigrations } from "@omnihall/orders";
import { BillingServiceClient, PaymentMethod } from "@omnihall/proto/omnihall/billing/v1/billing";
import { AllowanceRecurrence, AllowanceUnit } from "@omnihall/proto/omnihall/catalog/v1/allowance";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { MessageKind, NotifyServiceClient, SendMessageRequest } from "@omnihall/proto/omnihall/notify/v1/notify";
import { ProductActivatedEvent } from "@omnihall/proto/omnihall/orders/v1/events";
import { CreateOrderRequest, OrderServiceClient } from "@omnihall/proto/omnihall/orders/v1/orders";
import { QuotaThresholdCrossedEvent } from "@omnihall/proto/omnihall/usage/v1/events";
import { UsageServiceClient, type UsageRecord } from "@omnihall/proto/omnihall/usage/v1/usage";
import { FakeSmsc } from "@omnihall/sms-link/testing";
import { usageMigrations } from "@omnihall/usage";
import pg from "pg";
import { BILLED_SUBSCRIBERS } from "./context.js";
import { ServiceGroup, type AppInstance } from "./fault-instances.js";
import { benchDir, BenchDatabases, startInfrastructure } from "./stack.js";
import { formatTable, perSecond, type ResultRow } from "./table.js";

const DURATION_S = Number(process.env.FAULTS_DURATION_S ?? 80);
const SCALE = Number(process.env.FAULTS_SCALE ?? 1);
/** Operations started per second by each kind of load (a usage operation is a batch of USAGE_BATCH records). */
const RATES = { topUp: 30 * SCALE, order: 8 * SCALE, usage: 10 * SCALE, sms: 15 * SCALE };
const USAGE_BATCH = 20;
const QUOTA_KB = 10_000;
/** Seconds a killed process stays down before it is restarted. */
const DOWN_S = 4;
const SMSC_CREDENTIALS = { systemId: "omnihall", password: "omnihall" };

const appScript = (app: string) => path.join(repoRoot, "apps", app, "dist", "main.js");
const SERVICES = ["customer", "catalog", "billing", "orders", "usage", "notify"] as const;
const missing = SERVICES.filter((app) => !existsSync(appScript(app)));
if (missing.length > 0) throw new Error(`no built bundle for ${missing.join(", ")}: run \`npm run build\` first`);
const natsBinary = findNatsServer();
if (!natsBinary) throw new Error(NATS_INSTALL_HINT);

const cpus = os.cpus();
const machine =
  `${cpus.length} cores (${cpus[0]?.model.trim() ?? "unknown CPU"}), ` +
  `${Math.round(os.totalmem() / 2 ** 30)} GiB, node ${process.version}, ${os.platform()} ${os.release()}`;
const loadAverage = () =>
  os
    .loadavg()
    .map((value) => value.toFixed(2))
    .join(" ");
/** The bus's log lines (reconnects while a NATS node is down) are not the report; warnings and errors still show. */
const quietLogger: Logger = {
  child: () => quietLogger,
  debug: () => {},
  info: () => {},
  warn: (details, message) => console.warn(`bus: ${message}`, JSON.stringify(details)),
  error: (details, message) => console.error(`bus: ${message}`, JSON.stringify(details)),
};
/** The load's marker in an SMS text (F<run>x<n>): whole, so x35 is not found in x350's text. */
const markerIn = (text: string) => /F[0-9a-f]{6}x\d+/.exec(text)?.[0];
const log = (message: string) => console.log(`[faults ${new Date().toISOString().slice(11, 19)}] ${message}`);
console.log("Omnihall fault run: two instances of each service, a 3-node NATS cluster, kill -9 under load.");
console.log(`machine: ${machine}; load average before: ${loadAverage()}`);

await mkdir(benchDir, { recursive: true });
const infrastructure = await startInfrastructure();
const runId = randomBytes(3).toString("hex");
const databases = new BenchDatabases(infrastructure.postgresUrl, runId);
const clusterDir = path.join(benchDir, `nats-cluster-${runId}`);
const cluster = await startNatsCluster(natsBinary, clusterDir);
// Receipts as a network that delivers at once sends them: what tells notify an in-doubt submit did reach the SMSC.
const smsc = await FakeSmsc.start(SMSC_CREDENTIALS, { autoReceipts: { afterMs: 200 } });
log(`PostgreSQL ${new URL(infrastructure.postgresUrl).host}, NATS cluster ${cluster.url}, SMSC :${smsc.port}`);

const groups: ServiceGroup[] = [];
const pools: pg.Pool[] = [];
let bus: JetStreamBus | undefined;
const rows: ResultRow[] = [];
const faults: string[] = [];

/** Calls with the caller's own request id until it is answered; errors a retry cannot change end it. */
const RETRYABLE = new Set([1, 2, 4, 8, 10, 13, 14]); // CANCELLED UNKNOWN DEADLINE RESOURCE_EXHAUSTED ABORTED INTERNAL UNAVAILABLE
let retries = 0;
async function untilAnswered<T>(call: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 120_000;
  for (let attempt = 0; ; attempt++) {
    try {
      return await call();
    } catch (error) {
      const code = error instanceof ServiceCallError ? Number(error.code) : 14;
      if (!RETRYABLE.has(code) || Date.now() > deadline) throw error;
      retries++;
      await sleep(Math.min(1_000, 100 * 2 ** attempt));
    }
  }
}

/** Starts `rate` operations a second until `until`, as many in flight as needed (at most `limit`). */
async function paced(rate: number, going: () => boolean, limit: number, operation: (i: number) => Promise<void>) {
  const started = Date.now();
  let next = 0;
  const inFlight = new Set<Promise<void>>();
  while (going()) {
    const due = started + (next * 1000) / rate;
    if (Date.now() < due) await sleep(due - Date.now());
    if (inFlight.size >= limit) {
      await Promise.race(inFlight);
      continue;
    }
    const running = operation(next++).finally(() => inFlight.delete(running));
    inFlight.add(running);
  }
  await Promise.all(inFlight);
  return { operations: next, seconds: (Date.now() - started) / 1000 };
}

async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  // A check that fails (the server busy, a connection refused) is a "not yet", not the end of the run.
  while (!(await check().catch(() => false))) {
    if (Date.now() > deadline) {
      log(`gave up waiting: ${what}`);
      return false;
    }
    await sleep(250);
  }
  return true;
}

try {
  // Databases, migrated and seeded as the bench does.
  const url = Object.fromEntries(SERVICES.map((service) => [service, databases.urlFor(service)])) as Record<
    (typeof SERVICES)[number],
    string
  >;
  await Promise.all([
    migrateDeploy({ ...customerMigrations, databaseUrl: url.customer }),
    migrateDeploy({ ...billingMigrations, databaseUrl: url.billing }),
    migrateDeploy({ ...catalogMigrations, databaseUrl: url.catalog }),
    migrateDeploy({ ...ordersMigrations, databaseUrl: url.orders }),
    migrateDeploy({ ...usageMigrations, databaseUrl: url.usage }),
    migrateDeploy({ ...notifyMigrations, databaseUrl: url.notify }),
  ]);
  await seedCustomer(url.customer);
  const billingDb = createBillingDb(url.billing, 2);
  for (let attempt = 1; ; attempt++) {
    try {
      await seedBilling(billingDb, { subscribers: BILLED_SUBSCRIBERS });
      break;
    } catch (error) {
      if (attempt === 3) throw error;
    }
  }
  await billingDb.$disconnect();
  await seedCatalog(url.catalog);
  const db = Object.fromEntries(
    SERVICES.map((service) => {
      const pool = new pg.Pool({ connectionString: url[service], max: 1 });
      pools.push(pool);
      return [service, pool];
    }),
  ) as Record<(typeof SERVICES)[number], pg.Pool>;
  const count = async (pool: pg.Pool, sql: string, values: unknown[] = []) =>
    Number((await pool.query<{ n: string }>(sql, values)).rows[0]!.n);

  // Who each load acts on: disjoint sets, so one load's money or buckets never blur another's reconciliation.
  const everyone = demoSubscribers();
  const billed = everyone.slice(0, BILLED_SUBSCRIBERS);
  const topUpSubscribers = billed.slice(0, 150);
  const orderSubscribers = billed.slice(150).filter((subscriber) => subscriber.provinceCode === "GD");
  const usageSubscribers = everyone.slice(BILLED_SUBSCRIBERS, BILLED_SUBSCRIBERS + 100);
  const smsSubscribers = everyone.slice(BILLED_SUBSCRIBERS + 100, BILLED_SUBSCRIBERS + 400);
  // Orders are about the saga, not refusals: their charges always find the balance.
  await db.billing.query("UPDATE account SET balance_fen = 100000000 WHERE subscriber_id = ANY($1)", [
    orderSubscribers.map((subscriber) => subscriber.subscriberId),
  ]);

  // Two of each service, every caller given both addresses of what it calls; small pools, as twelve processes share
  // the PostgreSQL server's 100 connections with whatever else runs on it.
  const common = { NATS_URL: cluster.url, NATS_REPLICAS: "3", LOG_LEVEL: "info" };
  const customer = await ServiceGroup.create("customer", {
    ...common,
    DATABASE_URL: url.customer,
    DATABASE_POOL_SIZE: "4",
  });
  const catalog = await ServiceGroup.create("catalog", {
    ...common,
    DATABASE_URL: url.catalog,
    DATABASE_POOL_SIZE: "3",
  });
  groups.push(customer, catalog);
  await Promise.all([customer.start(), catalog.start()]);
  const billing = await ServiceGroup.create(
    "billing",
    { ...common, DATABASE_URL: url.billing, DATABASE_POOL_SIZE: "5", CUSTOMER_ADDRESS: customer.target },
    2,
    ["PAYMENT_NOTIFY_PORT"],
  );
  const orders = await ServiceGroup.create("orders", {
    ...common,
    DATABASE_URL: url.orders,
    DATABASE_POOL_SIZE: "6",
    SAGA_WORKERS: "4",
    CUSTOMER_ADDRESS: customer.target,
    CATALOG_ADDRESS: catalog.target,
    BILLING_ADDRESS: billing.target,
    SAGA_POLL_MS: "50",
    // A killed instance's sagas wait out its lease before the other takes them over.
    SAGA_LEASE_MS: "10000",
    PROVISIONING_LATENCY_MS: "50",
  });
  const usage = await ServiceGroup.create("usage", {
    ...common,
    DATABASE_URL: url.usage,
    USAGE_DB_POOL_SIZE: "4",
    CUSTOMER_ADDRESS: customer.target,
  });
  const notify = await ServiceGroup.create(
    "notify",
    {
      ...common,
      DATABASE_URL: url.notify,
      DATABASE_POOL_SIZE: "5",
      CUSTOMER_ADDRESS: customer.target,
      CATALOG_ADDRESS: catalog.target,
      SMPP_HOST: "127.0.0.1",
      SMPP_PORT: String(smsc.port),
      SMPP_SYSTEM_ID: SMSC_CREDENTIALS.systemId,
      SMPP_PASSWORD: SMSC_CREDENTIALS.password,
      SMPP_RATE: "400",
      DISPATCH_POLL_MS: "200",
      // A killed instance's events come back to the other after this.
      EVENT_ACK_WAIT_MS: "10000",
    },
    2,
    ["DELIVERY_REPORT_PORT"],
  );
  groups.push(billing, orders, usage, notify);
  await Promise.all([billing.start(), orders.start(), usage.start(), notify.start()]);
  log(`services up: ${groups.map((group) => `${group.service} ${group.target}`).join("; ")}`);

  const clientOptions = (address: string, caller = "platform") => ({
    address,
    caller,
    credential: developmentCallerKey(caller),
    defaultDeadlineMs: 10_000,
  });
  const billingClient = createServiceClient(BillingServiceClient, clientOptions(billing.target));
  // Balances are read as the orders service reads them (the platform caller may top up, not read).
  const balanceReader = createServiceClient(BillingServiceClient, clientOptions(billing.target, "orders"));
  const ordersClient = createServiceClient(OrderServiceClient, clientOptions(orders.target));
  const usageClient = createServiceClient(UsageServiceClient, clientOptions(usage.target));
  const notifyClient = createServiceClient(NotifyServiceClient, clientOptions(notify.target));

  // Usage buckets, as orders would announce the products: a monthly data allowance for each usage subscriber.
  bus = await JetStreamBus.connect({ url: cluster.url, name: "faults", replicas: 3, logger: quietLogger });
  for (const [i, subscriber] of usageSubscribers.entries()) {
    const product = {
      productId: `prd_fault${runId}${i}`,
      subscriberId: subscriber.subscriberId,
      orderId: "",
      offeringCode: "PLAN_FAULTS",
      offeringName: { zhCn: "故障测试套餐", en: "Fault run plan" },
      allowances: [
        {
          unit: AllowanceUnit.ALLOWANCE_UNIT_DATA_KB,
          quantity: BigInt(QUOTA_KB),
          recurrence: AllowanceRecurrence.ALLOWANCE_RECURRENCE_MONTHLY,
          roamingCountryCode: "",
        },
      ],
      startTime: new Date("2026-01-01T00:00:00Z"),
      endTime: undefined,
      trial: false,
      subscriberTimeZone: subscriber.timeZone,
    };
    await bus.publish("orders.product.activated", ProductActivatedEvent.encode({ product }).finish(), {
      msgId: `evt_fault${runId}${i}`,
    });
  }
  await waitFor(
    "usage buckets",
    async () => (await count(db.usage, "SELECT count(*) AS n FROM subscriber")) >= usageSubscribers.length,
    60_000,
  );

  const openingBalance = new Map<string, bigint>();
  for (const subscriber of topUpSubscribers) {
    const { balanceFen } = await balanceReader.getBalance({ subscriberId: subscriber.subscriberId });
    openingBalance.set(subscriber.subscriberId, balanceFen);
  }

  // What the load asked for and was told, per kind.
  const toppedUp = new Map<string, { subscriberId: string; amountFen: bigint }>();
  const confirmedOrders = new Map<string, string>(); // order id → subscriber
  const usedKb = new Map<string, number>(); // subscriber → KB counted (accepted)
  const smsSent = new Map<string, string>(); // marker → message id
  const refused: string[] = [];
  const refuse = (kind: string) => (error: unknown) => {
    refused.push(`${kind}: ${error instanceof ServiceCallError ? error.reason || error.message : String(error)}`);
  };

  log(`load for ${DURATION_S} s: ${JSON.stringify(RATES)} per second; faults from 10 s`);
  const loadStarted = Date.now();
  const loadStartedAt = performance.now();
  // The load goes on for the duration and at least until the last faulty process is back.
  let faultsOver = false;
  const until = loadStarted + DURATION_S * 1000;
  const going = () => Date.now() < until || !faultsOver;
  const loads = Promise.all([
    paced(RATES.topUp, going, 64, async (i) => {
      const subscriber = topUpSubscribers[i % topUpSubscribers.length]!;
      const amountFen = BigInt(100 + ((i * 7919) % 4900));
      const requestId = `fault-${runId}-topup-${i}`;
      await untilAnswered(() =>
        billingClient.topUp({
          requestId,
          subscriberId: subscriber.subscriberId,
          amountFen,
          channel: Channel.CHANNEL_WEB_HALL,
          paymentMethod: PaymentMethod.PAYMENT_METHOD_ALIPAY,
        }),
      ).then(
        () => void toppedUp.set(requestId, { subscriberId: subscriber.subscriberId, amountFen }),
        refuse("top-up"),
      );
    }),
    paced(RATES.order, going, 64, async (i) => {
      const subscriber = orderSubscribers[i % orderSubscribers.length]!;
      try {
        const { order } = await untilAnswered(() =>
          ordersClient.createOrder(
            CreateOrderRequest.fromPartial({
              requestId: `fault-${runId}-order-${i}`,
              subscriberId: subscriber.subscriberId,
              offeringCode: "DATA_1GB_1D",
              channel: Channel.CHANNEL_WEB_HALL,
            }),
          ),
        );
        await untilAnswered(() =>
          ordersClient.confirmOrder({
            requestId: `fault-${runId}-confirm-${i}`,
            subscriberId: subscriber.subscriberId,
            orderId: order!.orderId,
            confirmationCode: "",
          }),
        );
        confirmedOrders.set(order!.orderId, subscriber.subscriberId);
      } catch (error) {
        refuse("order")(error);
      }
    }),
    paced(RATES.usage, going, 64, async (i) => {
      const records: UsageRecord[] = Array.from({ length: USAGE_BATCH }, (_, r) => {
        const n = i * USAGE_BATCH + r;
        return {
          source: "faults",
          recordId: `${runId}-${n}`,
          subscriberId: usageSubscribers[(n * 31) % usageSubscribers.length]!.subscriberId,
          unit: AllowanceUnit.ALLOWANCE_UNIT_DATA_KB,
          // ~ 250 % of the quota per subscriber over an 80 s run at the default rate: 80 %, 100 %, 200 % crossed.
          quantity: BigInt(1 + ((n * 104729) % 300)),
          usageTime: new Date(Date.now() - 5_000),
          provinceCode: "GD",
          roamingCountryCode: "",
          ingestTime: undefined,
        };
      });
      await untilAnswered(() => usageClient.ingestUsage({ requestId: `fault-${runId}-usage-${i}`, records })).then(
        ({ result }) => {
          if (Number(result!.rejectedCount) > 0)
            refused.push(`usage: ${JSON.stringify(result!.rejectedCountByReason)}`);
          const rejected = new Set(result!.rejectedRecords.map((record) => record.recordId));
          // Duplicates are records an earlier answer (lost to a crash) already counted: counted, once.
          for (const record of records) {
            if (rejected.has(record.recordId)) continue;
            usedKb.set(record.subscriberId, (usedKb.get(record.subscriberId) ?? 0) + Number(record.quantity));
          }
        },
        refuse("usage"),
      );
    }),
    paced(RATES.sms, going, 64, async (i) => {
      const subscriber = smsSubscribers[i % smsSubscribers.length]!;
      const marker = `F${runId}x${i}`;
      await untilAnswered(() =>
        notifyClient.sendMessage(
          SendMessageRequest.fromPartial({
            requestId: `fault-${runId}-sms-${i}`,
            subscriberId: subscriber.subscriberId,
            kind: MessageKind.MESSAGE_KIND_SERVICE,
            templateCode: "QUOTA_THRESHOLD",
            variables: { allowance: "流量", percent: "80", used: marker, quota: "1GB" },
            campaignId: "",
            channel: Channel.CHANNEL_SYSTEM,
          }),
        ),
      ).then(({ message }) => void smsSent.set(marker, message!.messageId), refuse("sms"));
    }),
  ]);

  // The faults: one instance of each service in turn, then a NATS node, each down DOWN_S seconds.
  const injected = (async () => {
    await sleep(10_000);
    const victims: AppInstance[] = groups.map((group, i) => group.instances[i % 2]!);
    const gap = Math.max(DOWN_S + 2, (DURATION_S - 20) / (victims.length + 1)) * 1000;
    for (const victim of victims) {
      const at = ((Date.now() - loadStarted) / 1000).toFixed(0);
      await victim.kill9();
      log(`kill -9 ${victim.name} at ${at} s`);
      await sleep(DOWN_S * 1000);
      await victim.start();
      faults.push(`${victim.name} (at ${at} s, restarted ${DOWN_S} s later)`);
      log(`${victim.name} back`);
      await sleep(Math.max(0, gap - DOWN_S * 1000));
    }
    const node = cluster.nodes[1]!;
    const at = ((Date.now() - loadStarted) / 1000).toFixed(0);
    await node.kill("SIGKILL");
    log(`kill -9 NATS node ${node.name} at ${at} s`);
    await sleep(DOWN_S * 1000);
    await node.restart();
    await waitFor(`NATS ${node.name} current`, () => node.healthy(), 30_000);
    faults.push(`NATS node ${node.name} (at ${at} s, restarted ${DOWN_S} s later)`);
    log(`NATS ${node.name} back`);
    await sleep(3_000);
    faultsOver = true;
  })();
  const [[topUps, orderLoad, usageLoad, smsLoad]] = await Promise.all([loads, injected]);
  log(`load done in ${((Date.now() - loadStarted) / 1000).toFixed(0)} s; load average ${loadAverage()}; settling`);

  // Settle: sagas finished, messages sent, threshold events published.
  const ourOrders = `fault-${runId}-order-%`;
  await waitFor(
    "orders final",
    async () =>
      (await count(db.orders, `SELECT count(*) AS n FROM "order" WHERE request_id LIKE $1 AND saga_step IS NOT NULL`, [
        ourOrders,
      ])) === 0,
    180_000,
  );
  await waitFor(
    "SMS sent",
    async () =>
      (await count(db.notify, "SELECT count(*) AS n FROM message WHERE status IN ('QUEUED', 'DEFERRED')")) === 0,
    180_000,
  );

  // Top-ups: each credited once, balances moved by exactly what was credited.
  const payments = await db.billing.query<{ request_id: string; n: string }>(
    "SELECT request_id, count(*) AS n FROM payment WHERE request_id LIKE $1 GROUP BY request_id",
    [`fault-${runId}-topup-%`],
  );
  const paid = new Map(payments.rows.map((row) => [row.request_id, Number(row.n)]));
  const lostTopUps = [...toppedUp.keys()].filter((requestId) => !paid.has(requestId));
  const extraPayments = [...paid.entries()].filter(([requestId, n]) => n > 1 || !toppedUp.has(requestId));
  const expectedBalance = new Map(openingBalance);
  for (const { subscriberId, amountFen } of toppedUp.values()) {
    expectedBalance.set(subscriberId, expectedBalance.get(subscriberId)! + amountFen);
  }
  let balanceOver = 0n;
  let balanceUnder = 0n;
  let balancesWrong = 0;
  for (const [subscriberId, expected] of expectedBalance) {
    const { balanceFen } = await untilAnswered(() => balanceReader.getBalance({ subscriberId }));
    if (balanceFen > expected) balanceOver += balanceFen - expected;
    if (balanceFen < expected) balanceUnder += expected - balanceFen;
    if (balanceFen !== expected) balancesWrong++;
  }
  const creditedFen = [...toppedUp.values()].reduce((sum, { amountFen }) => sum + amountFen, 0n);
  rows.push({
    path: "top-ups (billing TopUp)",
    figure:
      `${toppedUp.size} credited of ${topUps.operations}, ${perSecond(topUps.operations / topUps.seconds)}; ` +
      `lost ${lostTopUps.length}, duplicated ${extraPayments.length}; balances: ${balancesWrong} of ` +
      `${expectedBalance.size} off (${balanceOver} fen over, ${balanceUnder} under; ${creditedFen} fen credited)`,
    target: "0 lost, 0 duplicated",
    met: lostTopUps.length === 0 && extraPayments.length === 0 && balancesWrong === 0,
    settings: `${topUpSubscribers.length} subscribers, balance by GetBalance vs opening + top-ups`,
  });

  // Orders: every confirmed order final; completed ones charged once, failed ones refunded or never charged.
  const orderRows = await db.orders.query<{
    id: string;
    state: string;
    charge_id: string | null;
    failure_reason: string;
  }>(`SELECT id, state, charge_id, failure_reason FROM "order" WHERE request_id LIKE $1`, [ourOrders]);
  const charges = await db.billing.query<{ order_id: string; status: string; n: string }>(
    "SELECT order_id, status, count(*) AS n FROM charge WHERE order_id = ANY($1) GROUP BY order_id, status",
    [orderRows.rows.map((row) => row.id)],
  );
  const chargesOf = new Map<string, { completed: number; refunded: number }>();
  for (const row of charges.rows) {
    const entry = chargesOf.get(row.order_id) ?? { completed: 0, refunded: 0 };
    if (row.status === "COMPLETED") entry.completed += Number(row.n);
    else entry.refunded += Number(row.n);
    chargesOf.set(row.order_id, entry);
  }
  const byState = new Map<string, number>();
  const orderProblems: string[] = [];
  let ordersLost = 0;
  let ordersDuplicated = 0;
  for (const order of orderRows.rows) {
    byState.set(order.state, (byState.get(order.state) ?? 0) + 1);
    const charged = chargesOf.get(order.id) ?? { completed: 0, refunded: 0 };
    if (!confirmedOrders.has(order.id)) continue;
    if (order.state === "COMPLETED") {
      if (charged.completed !== 1) {
        orderProblems.push(`${order.id} COMPLETED with ${charged.completed} charges kept`);
        if (charged.completed > 1) ordersDuplicated++;
        else ordersLost++;
      }
    } else if (order.state === "FAILED" || order.state === "CANCELLED") {
      if (charged.completed > 0) {
        ordersLost++;
        orderProblems.push(`${order.id} ${order.state} (${order.failure_reason}) with a charge not refunded`);
      }
    } else {
      ordersLost++;
      orderProblems.push(`${order.id} left ${order.state}`);
    }
  }
  const notFound = [...confirmedOrders.keys()].filter((id) => !orderRows.rows.some((row) => row.id === id));
  ordersLost += notFound.length;
  const products = await count(
    db.orders,
    `SELECT count(*) AS n FROM product p JOIN "order" o ON o.product_id = p.id WHERE o.request_id LIKE $1`,
    [ourOrders],
  ).catch(() => NaN);
  rows.push({
    path: "orders through the saga",
    figure:
      `${confirmedOrders.size} confirmed of ${orderLoad.operations}, ${perSecond(orderLoad.operations / orderLoad.seconds)}; ` +
      `${[...byState].map(([state, n]) => `${n} ${state}`).join(", ")}; lost ${ordersLost}, duplicated ` +
      `${ordersDuplicated}` +
      (Number.isNaN(products) ? "" : `; ${products} products`),
    target: "all completed or refunded",
    met: ordersLost === 0 && ordersDuplicated === 0,
    settings: "DATA_1GB_1D, charge per order (billing charge table), provisioning 50 ms",
  });

  // Usage: every record counted once (bucket used = what the load was told was counted); every threshold crossed
  // published once on JetStream.
  const buckets = await db.usage.query<{ subscriber_id: string; used: string }>(
    "SELECT subscriber_id, sum(used) AS used FROM bucket GROUP BY subscriber_id",
  );
  let kbOver = 0;
  let kbUnder = 0;
  const usedInDb = new Map(buckets.rows.map((row) => [row.subscriber_id, Number(row.used)]));
  for (const subscriber of usageSubscribers) {
    const difference = (usedInDb.get(subscriber.subscriberId) ?? 0) - (usedKb.get(subscriber.subscriberId) ?? 0);
    if (difference > 0) kbOver += difference;
    else kbUnder -= difference;
  }
  const expectedCrossings = new Set<string>();
  for (const [subscriberId, kb] of usedKb) {
    for (const threshold of [80, 100, ...Array.from({ length: 20 }, (_, k) => (k + 2) * 100)]) {
      if (kb * 100 >= threshold * QUOTA_KB) expectedCrossings.add(`${subscriberId}/${threshold}`);
    }
  }
  const recorded = await count(db.usage, "SELECT count(*) AS n FROM threshold_crossing");
  const seen = new Map<string, number>();
  let events = 0;
  await bus.subscribe(
    { durable: `faults--thresholds-${runId}`, subjects: ["usage.quota.threshold_crossed"] },
    async (delivery) => {
      const event = QuotaThresholdCrossedEvent.decode(delivery.payload);
      const key = `${event.subscriberId}/${event.thresholdPercent}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
      events++;
      delivery.ack();
    },
  );
  await waitFor("threshold events", async () => events >= recorded, 60_000);
  await sleep(2_000); // anything published twice arrives with the rest; a quiet moment shows it
  // What reached the SMSC: the load's own texts by marker, and the reminders notify sent the usage subscribers.
  const usageMsisdns = new Set(usageSubscribers.map((subscriber) => subscriber.msisdn));
  const reminderCount = () => smsc.submits.filter((submit) => usageMsisdns.has(submit.destinationAddr)).length;
  await waitFor("threshold reminders at the SMSC", async () => reminderCount() >= expectedCrossings.size, 180_000);
  const atSmsc = new Map<string, number>();
  let reminders = 0;
  for (const submit of smsc.submits) {
    const marker = markerIn(submit.text);
    if (marker) atSmsc.set(marker, (atSmsc.get(marker) ?? 0) + 1);
    else if (usageMsisdns.has(submit.destinationAddr)) reminders++;
  }
  const lostCrossings = [...expectedCrossings].filter((key) => !seen.has(key));
  const duplicatedCrossings = [...seen.values()].reduce((sum, n) => sum + n - 1, 0);
  const unexpected = [...seen.keys()].filter((key) => !expectedCrossings.has(key));
  rows.push({
    path: "usage ingest with thresholds",
    figure:
      `${usageLoad.operations * USAGE_BATCH} records, ${perSecond((usageLoad.operations * USAGE_BATCH) / usageLoad.seconds)}; ` +
      `${expectedCrossings.size} thresholds expected, ${recorded} recorded, ${events} events; lost ` +
      `${lostCrossings.length}, duplicated ${duplicatedCrossings}, unexpected ${unexpected.length}; ` +
      `${reminders} reminders at the SMSC; ` +
      `bucket KB ${kbOver} over, ${kbUnder} under`,
    target: "0 lost, 0 duplicated",
    met:
      lostCrossings.length === 0 &&
      duplicatedCrossings === 0 &&
      unexpected.length === 0 &&
      kbOver + kbUnder === 0 &&
      reminders === expectedCrossings.size,
    settings: `IngestUsage batches of ${USAGE_BATCH}, ${usageSubscribers.length} subscribers, quota ${QUOTA_KB} KB`,
  });

  // SMS: every message the load was told was queued reached the SMSC once (by its marker).
  const lostSms = [...smsSent.keys()].filter((marker) => !atSmsc.has(marker));
  const duplicatedMarkers = [...atSmsc].filter(([, n]) => n > 1).map(([marker]) => marker);
  const smsDiagnoses: string[] = [];
  for (const marker of duplicatedMarkers) {
    const messageId = smsSent.get(marker) ?? "?";
    const times = smsc.submits
      .filter((submit) => markerIn(submit.text) === marker)
      .map((submit) => `${((submit.receivedAt - loadStartedAt) / 1000).toFixed(1)} s (SMSC id ${submit.messageId})`);
    const row = (
      await db.notify.query<{ status: string; attempt_count: number; parts: string }>(
        `SELECT m.status, m.attempt_count,
                coalesce(string_agg(p.provider_message_id || ' ' || p.status, ', '), '') AS parts
           FROM message m LEFT JOIN message_part p ON p.message_id = m.id WHERE m.id = $1 GROUP BY m.id`,
        [messageId],
      )
    ).rows[0];
    smsDiagnoses.push(
      `${marker} = ${messageId}: submitted at ${times.join(" and ")} after the load began; notify has it ` +
        `${row?.status ?? "?"} after ${row?.attempt_count ?? "?"} attempt(s), parts ${row?.parts || "none"}`,
    );
  }
  const duplicatedSms = [...atSmsc.values()].reduce((sum, n) => sum + n - 1, 0);
  // The dispatcher counts what it sends again without knowing whether the SMSC already has it (a claim that ran
  // out unrecorded): an upper bound on the duplicates, as counted by the instances running now.
  let inDoubtResends = 0;
  let inDoubtFoundSent = 0;
  for (const instance of notify.instances) {
    const text = await fetch(instance.metricsUrl)
      .then((response) => response.text())
      .catch(() => ""); // not up: its count is lost, as a killed instance's is
    for (const line of text.split("\n")) {
      const value = Number(line.split(" ").at(-1));
      if (line.startsWith("omnihall_notify_in_doubt_resends_total{")) inDoubtResends += value;
      if (line.startsWith("omnihall_notify_in_doubt_found_sent_total{")) inDoubtFoundSent += value;
    }
  }
  const statuses = await db.notify.query<{ status: string; n: string }>(
    "SELECT status, count(*) AS n FROM message GROUP BY status",
  );
  rows.push({
    path: "SMS sends (notify → SMSC)",
    figure:
      `${smsSent.size} queued of ${smsLoad.operations}, ${perSecond(smsLoad.operations / smsLoad.seconds)}; ` +
      `${atSmsc.size} at the SMSC; lost ${lostSms.length}, duplicated ${duplicatedSms}; all messages: ` +
      statuses.rows.map((row) => `${row.n} ${row.status}`).join(", ") +
      `; ${reminders} threshold reminders; notify's in-doubt messages: ${inDoubtFoundSent} found sent by their ` +
      `receipts, ${inDoubtResends} sent again; receipts taken ${smsc.receiptsTaken}`,
    target: "0 lost, 0 duplicated",
    met: lostSms.length === 0 && duplicatedSms === 0,
    settings: "SendMessage SERVICE, one part each, SMPP to the simulator (receipts 200 ms after each submit)",
  });

  console.log(`\nmachine: ${machine}; load average after: ${loadAverage()}`);
  console.log(`faults injected (kill -9, restarted after ${DOWN_S} s): ${faults.join("; ")}`);
  console.log(`client retries with the same request id: ${retries}; refused: ${refused.length}`);
  for (const reason of [...new Set(refused)].slice(0, 10)) console.log(`  refused: ${reason}`);
  for (const problem of orderProblems.slice(0, 20)) console.log(`  order: ${problem}`);
  for (const key of lostCrossings.slice(0, 10)) console.log(`  threshold lost: ${key}`);
  for (const marker of lostSms.slice(0, 10)) console.log(`  SMS lost: ${marker} (${smsSent.get(marker)})`);
  for (const requestId of lostTopUps.slice(0, 10)) console.log(`  top-up lost: ${requestId}`);
  for (const [requestId, n] of extraPayments.slice(0, 10)) console.log(`  top-up paid ${n}×: ${requestId}`);
  for (const diagnosis of smsDiagnoses) console.log(`  SMS duplicated: ${diagnosis}`);
  console.log(formatTable(rows));
  if (process.env.BENCH_MARKDOWN) console.log(`\n${formatTable(rows, true)}`);
  for (const client of [billingClient, balanceReader, ordersClient, usageClient, notifyClient]) client.close();
} finally {
  await bus?.close().catch(() => {});
  for (const group of [...groups].reverse()) await group.stop().catch(() => {});
  for (const pool of pools) await pool.end().catch(() => {});
  await smsc.close().catch(() => {});
  await cluster.stop().catch(() => {});
  await rm(clusterDir, { recursive: true, force: true });
  await databases.dropAll().catch((error: unknown) => console.error("dropping databases:", error));
  await infrastructure.stop();
}
// The migration engine leaves a timer running after it is done.
process.exit(0);
