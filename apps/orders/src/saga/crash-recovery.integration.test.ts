import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { InProcessBus } from "@omnihall/bus";
import { createServiceClient } from "@omnihall/channel-client";
import { developmentCallerKey } from "@omnihall/config";
import { migratedTestDatabase } from "@omnihall/db/testing";
import { demoSubscribers } from "@omnihall/demo-data";
import { freePort, waitForPort } from "@omnihall/devstack";
import { ChargeStatus } from "@omnihall/proto/omnihall/billing/v1/billing";
import { OrderServiceClient } from "@omnihall/proto/omnihall/orders/v1/orders";
import { createLogger } from "@omnihall/service-kit";
import { uniqueSuffix, waitFor } from "@omnihall/testkit";
import { expect, inject, it, onTestFinished } from "vitest";
import { createOrdersDb, ordersMigrations } from "../index.js";
import { simulatorRejects } from "../provisioning/provisioning-simulator.js";
import { ordersEnv, startNeighbours } from "../testing/orders-harness.js";
import { orderRequest } from "../testing/expectations.js";

const MAIN = fileURLToPath(new URL("../main.ts", import.meta.url));
const ORDERS = 24;
/** Half the orders that reach the network are rejected: with ~19 of them, some are, whatever the order ids. */
const FAILURE_RATE = 0.5;
/** Every sixth subscriber has 1 yuan, too little for the offering. */
const cannotPay = (index: number) => index % 6 === 0;

/** The orders service as its own process (src/main.ts), so the test can kill it with SIGKILL at any moment. */
function startProcess(env: Record<string, string>): ChildProcess {
  const child = spawn(process.execPath, ["--import", "tsx", MAIN], {
    env: { ...process.env, ...env },
    stdio: ["ignore", "ignore", "inherit"],
  });
  return child;
}

async function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill("SIGKILL");
  await exited;
}

it("ends every order completed, failed or cancelled, and charges exactly the completed ones, across SIGKILLs", async () => {
  const neighbours = await startNeighbours(new InProcessBus({ logger: createLogger("t", { level: "silent" }) }));
  const database = await migratedTestDatabase(ordersMigrations);
  const port = await freePort();
  const env = {
    ...ordersEnv(neighbours, database.url, {
      PORT: String(port),
      NATS_URL: inject("natsUrl"),
      SAGA_WORKERS: "4",
      // A step whose worker was killed is taken over once its lease runs out.
      SAGA_LEASE_MS: "3000",
      PROVISIONING_LATENCY_MS: "60",
      // Some orders are rejected by the network (refund) and some subscribers cannot pay (no charge, at once).
      ORDER_PAYMENT_WAIT_SECONDS: "0",
      PROVISIONING_FAILURE_RATE: String(FAILURE_RATE),
      // The one order left unconfirmed expires within the test.
      CONFIRMATION_TTL_SECONDS: "20",
      LIFECYCLE_INTERVAL_MS: "250",
      LOG_LEVEL: "error",
    }),
  };
  let child = startProcess(env);
  onTestFinished(() => kill(child));
  await waitForPort("127.0.0.1", port, 30_000);

  const client = createServiceClient(OrderServiceClient, {
    address: `127.0.0.1:${port}`,
    caller: "platform",
    credential: developmentCallerKey("platform"),
    defaultDeadlineMs: 20_000,
  });
  onTestFinished(() => client.close());

  const subscribers = demoSubscribers()
    .filter((subscriber) => subscriber.provinceCode === "GD")
    .slice(0, ORDERS);
  const orders0 = await Promise.all(
    subscribers.map(async (subscriber, index) => {
      await neighbours.openAccount(subscriber.subscriberId, cannotPay(index) ? 100n : 100_00n);
      const { order } = await client.createOrder(
        orderRequest({ requestId: `crash-${uniqueSuffix()}`, subscriberId: subscriber.subscriberId }),
      );
      return order!;
    }),
  );
  // All but one are confirmed at once; the last is never confirmed and must end cancelled.
  await Promise.all(
    orders0.slice(0, -1).map((order) =>
      client.confirmOrder({
        requestId: `confirm-${order.orderId}`,
        subscriberId: order.subscriberId,
        orderId: order.orderId,
        confirmationCode: "",
      }),
    ),
  );
  const db = createOrdersDb(database.url, 2);
  onTestFinished(() => db.$disconnect());

  // Kill the service at arbitrary points of the sagas, several times, restarting it each time.
  let inFlightAtKills = 0;
  for (const delayMs of [40, 150, 90, 250, 60]) {
    await sleep(delayMs);
    await kill(child);
    inFlightAtKills += await db.order.count({ where: { sagaStep: { not: null } } });
    child = startProcess(env);
    await waitForPort("127.0.0.1", port, 30_000);
  }

  // The kills did land in the middle of sagas.
  expect(inFlightAtKills).toBeGreaterThan(0);
  let last: Array<{ id: string; state: string; sagaStep: string | null }> = [];
  const orders = await waitFor(
    "every order to end",
    async () => {
      const rows = await db.order.findMany();
      last = rows;
      return rows.every((row) => ["COMPLETED", "FAILED", "CANCELLED"].includes(row.state)) && rows;
    },
    { timeoutMs: 60_000 },
  ).catch((error: unknown) => {
    throw new Error(
      `orders not final: ${JSON.stringify(last.filter((row) => row.sagaStep !== null || row.state === "PENDING").map((row) => [row.id, row.state, row.sagaStep]))}`,
      { cause: error },
    );
  });
  expect(orders).toHaveLength(ORDERS);
  // Each order ended as it must: the unconfirmed one cancelled, those who cannot pay refused before the
  // network, those the network rejects failed (and refunded, below), the rest completed.
  const endOf = new Map(orders.map((order) => [order.id, [order.state, order.failureReason]]));
  const expectedEnd = (orderId: string, index: number) => {
    if (index === ORDERS - 1) return ["CANCELLED", "CONFIRMATION_EXPIRED"];
    if (cannotPay(index)) return ["FAILED", "INSUFFICIENT_BALANCE"];
    if (simulatorRejects(orderId, FAILURE_RATE)) return ["FAILED", "PROVISIONING_REJECTED"];
    return ["COMPLETED", ""];
  };
  expect(orders0.map((order) => endOf.get(order.orderId))).toEqual(
    orders0.map((order, index) => expectedEnd(order.orderId, index)),
  );
  const byState = (state: string) => orders.filter((order) => order.state === state);
  // The run covered both failures and successes (certain but for a 2⁻¹⁹ draw of the order ids).
  expect(new Set(byState("FAILED").map((order) => order.failureReason))).toEqual(
    new Set(["INSUFFICIENT_BALANCE", "PROVISIONING_REJECTED"]),
  );
  expect(byState("COMPLETED").length).toBeGreaterThan(0);

  // Reconciliation: money kept by billing equals the price of the completed orders, order by order.
  let chargedFen = 0n;
  for (const order of orders) {
    const { charges } = await neighbours.billing.listCharges({
      subscriberId: order.subscriberId,
      orderId: order.id,
      pageSize: 0,
      pageToken: "",
    });
    const kept = charges.filter((charge) => charge.status === ChargeStatus.CHARGE_STATUS_COMPLETED);
    expect(charges.length, `charges of ${order.id}`).toBeLessThanOrEqual(1);
    expect(kept.length, `kept charges of ${order.state} ${order.id}`).toBe(order.state === "COMPLETED" ? 1 : 0);
    chargedFen += kept.reduce((sum, charge) => sum + charge.amountFen, 0n);
  }
  const completedFen = byState("COMPLETED").reduce((sum, order) => sum + order.priceFen, 0n);
  expect(chargedFen).toBe(completedFen);

  // Each completed order activated exactly one product; nothing else did.
  const products = await db.product.findMany();
  expect(products.map((product) => product.orderId).sort()).toEqual(
    byState("COMPLETED")
      .map((order) => order.id)
      .sort(),
  );
}, 180_000);
