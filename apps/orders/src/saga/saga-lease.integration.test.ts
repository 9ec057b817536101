import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { uniqueSuffix } from "@omnihall/testkit";
import { expect, it } from "vitest";
import { eventually } from "../testing/expectations.js";
import { startOrdersHarness } from "../testing/orders-harness.js";

const GD_5G = "sub_demo000001";

it("holds no transaction while a step waits on the network, and fences the step's result with its lease", async () => {
  const harness = await startOrdersHarness({ PROVISIONING_LATENCY_MS: "1500", SAGA_LEASE_MS: "20000" });
  await harness.openAccount(GD_5G, 100_00n);
  const { order } = await harness.client.createOrder({
    requestId: `req-${uniqueSuffix()}`,
    subscriberId: GD_5G,
    offeringCode: "DATA_20GB_30D",
    channel: Channel.CHANNEL_WEB_HALL,
    agentId: "",
    campaignId: "",
    number: "",
    characteristics: {},
    installation: undefined,
  });
  await harness.client.confirmOrder({
    requestId: `c-${uniqueSuffix()}`,
    subscriberId: GD_5G,
    orderId: order!.orderId,
    confirmationCode: "",
  });

  // The saga is in the network's hands (1.5 s): the order is leased, and no session of the service is in a
  // transaction meanwhile.
  const leased = await eventually(async () => {
    const row = await harness.db.order.findUniqueOrThrow({ where: { id: order!.orderId } });
    return row.sagaStep === "PROVISION" ? row : undefined;
  }, 10_000);
  expect(leased.sagaDueAt!.getTime()).toBeGreaterThan(Date.now() + 10_000);
  const rows = await harness.db.$queryRaw<Array<{ state: string }>>`
    SELECT state FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`;
  expect(rows.filter((row) => row.state.startsWith("idle in transaction"))).toEqual([]);

  // Another worker's lease (as after a takeover): the first worker's result is not saved over it.
  const takenOver = new Date(Date.now() + 60_000);
  await harness.db.order.update({ where: { id: order!.orderId }, data: { sagaDueAt: takenOver } });
  await new Promise((resolve) => setTimeout(resolve, 2_500));
  const after = await harness.db.order.findUniqueOrThrow({ where: { id: order!.orderId } });
  expect(after).toMatchObject({ sagaStep: "PROVISION", state: "IN_PROGRESS", sagaDueAt: takenOver });

  // Once that lease runs out, the step is run again and the order completes, charged once.
  await harness.db.order.update({ where: { id: order!.orderId }, data: { sagaDueAt: new Date() } });
  const completed = await eventually(async () => {
    const row = await harness.db.order.findUniqueOrThrow({ where: { id: order!.orderId } });
    return row.state === "COMPLETED" ? row : undefined;
  }, 20_000);
  const { charges } = await harness.billing.listCharges({
    subscriberId: GD_5G,
    orderId: completed.id,
    pageSize: 0,
    pageToken: "",
  });
  expect(charges).toHaveLength(1);
}, 90_000);
