import { createLogger } from "@omnihall/service-kit";
import { uniqueSuffix, waitFor } from "@omnihall/testkit";
import { expect, it } from "vitest";
import { GD_5G, orderRequest } from "../testing/expectations.js";
import { startOrdersHarness } from "../testing/orders-harness.js";

it("holds no transaction while a step waits on the network, and fences the step's result with its lease", async () => {
  // The service's warnings, to see the first worker's fenced save refused.
  const warnings: string[] = [];
  const logger = createLogger("orders-test", { level: "warn", destination: { write: (line) => warnings.push(line) } });
  const harness = await startOrdersHarness({ PROVISIONING_LATENCY_MS: "1500", SAGA_LEASE_MS: "20000" }, { logger });
  await harness.openAccount(GD_5G, 100_00n);
  const { order } = await harness.client.createOrder(orderRequest());
  await harness.client.confirmOrder({
    requestId: `c-${uniqueSuffix()}`,
    subscriberId: GD_5G,
    orderId: order!.orderId,
    confirmationCode: "",
  });

  // The saga is in the network's hands (1.5 s): the order is leased, and no session of the service is in a
  // transaction meanwhile.
  const leased = await waitFor("the order to be leased for provisioning", async () => {
    const row = await harness.db.order.findUniqueOrThrow({ where: { id: order!.orderId } });
    return row.sagaStep === "PROVISION" && row;
  });
  expect(leased.sagaDueAt!.getTime()).toBeGreaterThan(Date.now() + 10_000);
  const rows = await harness.db.$queryRaw<Array<{ state: string }>>`
    SELECT state FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`;
  expect(rows.filter((row) => row.state.startsWith("idle in transaction"))).toEqual([]);

  // Another worker's lease (as after a takeover): the first worker's result is not saved over it.
  const takenOver = new Date(Date.now() + 60_000);
  await harness.db.order.update({ where: { id: order!.orderId }, data: { sagaDueAt: takenOver } });
  await waitFor("the first worker's result to be refused", () =>
    warnings.some((line) => line.includes(order!.orderId) && line.includes("saga lease ran out")),
  );
  const after = await harness.db.order.findUniqueOrThrow({ where: { id: order!.orderId } });
  expect(after).toMatchObject({ sagaStep: "PROVISION", state: "IN_PROGRESS", sagaDueAt: takenOver });

  // Once that lease runs out, the step is run again and the order completes, charged once.
  await harness.db.order.update({ where: { id: order!.orderId }, data: { sagaDueAt: new Date() } });
  const completed = await waitFor(
    "the order to complete",
    async () => {
      const row = await harness.db.order.findUniqueOrThrow({ where: { id: order!.orderId } });
      return row.state === "COMPLETED" && row;
    },
    { timeoutMs: 20_000 },
  );
  const { charges } = await harness.billing.listCharges({
    subscriberId: GD_5G,
    orderId: completed.id,
    pageSize: 0,
    pageToken: "",
  });
  expect(charges).toHaveLength(1);
}, 90_000);
