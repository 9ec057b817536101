import { status } from "@grpc/grpc-js";
import { InProcessBus } from "@omnihall/bus";
import { createServiceClient } from "@omnihall/channel-client";
import { developmentCallerKey } from "@omnihall/config";
import { migratedTestDatabase } from "@omnihall/db/testing";
import { ChargeStatus } from "@omnihall/proto/omnihall/billing/v1/billing";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { OrderServiceClient, OrderState, type CreateOrderRequest } from "@omnihall/proto/omnihall/orders/v1/orders";
import { createLogger } from "@omnihall/service-kit";
import { uniqueSuffix, waitFor } from "@omnihall/testkit";
import { describe, expect, it, onTestFinished } from "vitest";
import { createOrdersDb, loadOrdersConfig, ordersMigrations, startOrdersService } from "../index.js";
import { ordersEnv, startNeighbours, startOrdersHarness } from "../testing/orders-harness.js";
import { expectCallError, GD_5G, orderRequest } from "../testing/expectations.js";

const request = (patch: Partial<CreateOrderRequest>) => orderRequest({ offeringCode: "DATA_1GB_1D", ...patch });

describe("ListOrders", () => {
  it("lists newest first, filtered by subscriber, state and channel, in pages bound to their filters", async () => {
    const harness = await startOrdersHarness();
    const created: string[] = [];
    for (let i = 0; i < 5; i++) {
      const { order } = await harness.client.createOrder(request({}));
      created.push(order!.orderId);
    }
    const { order: sms } = await harness.client.createOrder(request({ channel: Channel.CHANNEL_SMS_HALL }));
    await harness.client.createOrder(request({ subscriberId: "sub_demo000061" }));
    await harness.client.cancelOrder({ requestId: `c-${uniqueSuffix()}`, subscriberId: GD_5G, orderId: created[0]! });

    const filters = {
      subscriberId: GD_5G,
      states: [OrderState.ORDER_STATE_PENDING],
      channel: Channel.CHANNEL_WEB_HALL,
      campaignId: "",
    };
    const first = await harness.client.listOrders({ ...filters, pageSize: 3, pageToken: "" });
    const second = await harness.client.listOrders({ ...filters, pageSize: 3, pageToken: first.nextPageToken });
    expect(second.nextPageToken).toBe("");
    expect([...first.orders, ...second.orders].map((order) => order.orderId)).toEqual(created.slice(1).reverse());

    const all = await harness.client.listOrders({
      subscriberId: GD_5G,
      states: [],
      channel: 0,
      campaignId: "",
      pageSize: 0,
      pageToken: "",
    });
    expect(all.orders.map((order) => order.orderId)).toContain(sms!.orderId);
    expect(all.orders).toHaveLength(6);
    await expectCallError(
      harness.client.listOrders({
        ...filters,
        channel: Channel.CHANNEL_SMS_HALL,
        pageSize: 3,
        pageToken: first.nextPageToken,
      }),
      status.INVALID_ARGUMENT,
      "PAGE_TOKEN_INVALID",
    );
  });
});

describe("several orders service instances", () => {
  it("share the sagas without running any order twice", async () => {
    const logger = createLogger("t", { level: "silent" });
    const bus = new InProcessBus({ logger });
    onTestFinished(() => bus.close());
    const neighbours = await startNeighbours(bus);
    const database = await migratedTestDatabase(ordersMigrations);
    const config = loadOrdersConfig(
      ordersEnv(neighbours, database.url, { SAGA_WORKERS: "3", DATABASE_POOL_SIZE: "6" }),
    );
    const instances = await Promise.all([1, 2].map(() => startOrdersService({ config, bus, logger })));
    onTestFinished(async () => {
      for (const instance of instances) await instance.stop();
    });
    const clients = instances.map((instance) =>
      createServiceClient(OrderServiceClient, {
        address: instance.address,
        caller: "platform",
        credential: developmentCallerKey("platform"),
      }),
    );
    onTestFinished(() => clients.forEach((client) => client.close()));
    await neighbours.openAccount(GD_5G, 1000_00n);

    const orderIds = await Promise.all(
      Array.from({ length: 12 }, async (_, i) => {
        const client = clients[i % 2]!;
        const { order } = await client.createOrder(request({}));
        await client.confirmOrder({
          requestId: `c-${uniqueSuffix()}`,
          subscriberId: GD_5G,
          orderId: order!.orderId,
          confirmationCode: "",
        });
        return order!.orderId;
      }),
    );
    const db = createOrdersDb(database.url, 2);
    onTestFinished(() => db.$disconnect());
    await waitFor(
      "the 12 orders to complete",
      async () => (await db.order.count({ where: { state: "COMPLETED" } })) === 12,
      { timeoutMs: 15_000 },
    );

    const { charges } = await neighbours.billing.listCharges({
      subscriberId: GD_5G,
      orderId: "",
      pageSize: 100,
      pageToken: "",
    });
    expect(charges.filter((charge) => charge.status === ChargeStatus.CHARGE_STATUS_COMPLETED)).toHaveLength(12);
    expect(new Set(charges.map((charge) => charge.orderId))).toEqual(new Set(orderIds));
    expect(await db.product.count()).toBe(12);
    // Each order went through each state once.
    expect(await db.orderTransition.count({ where: { toState: "COMPLETED" } })).toBe(12);
  });
});
