import { status } from "@grpc/grpc-js";
import { ChargeStatus } from "@omnihall/proto/omnihall/billing/v1/billing";
import {
  ProductDeactivatedEvent,
  ProductEndReason,
  ProductExpiringEvent,
} from "@omnihall/proto/omnihall/orders/v1/events";
import { OrderState, ProductStatus } from "@omnihall/proto/omnihall/orders/v1/orders";
import { uniqueSuffix, waitFor } from "@omnihall/testkit";
import { describe, expect, it } from "vitest";
import { seedOrders } from "../seed/seed-orders.js";
import { startOrdersHarness, type OrdersHarness } from "../testing/orders-harness.js";
import { expectCallError, finalOrder, GD_5G, orderRequest, recordOrderEvents } from "../testing/expectations.js";

const DAY = 86_400_000;
const rid = () => `req-${uniqueSuffix()}`;

/** Orders an offering through the web hall and returns the product it activated. */
async function subscribe(harness: OrdersHarness, offeringCode: string) {
  const { order } = await harness.client.createOrder(orderRequest({ offeringCode }));
  await harness.client.confirmOrder({
    requestId: rid(),
    subscriberId: GD_5G,
    orderId: order!.orderId,
    confirmationCode: "",
  });
  const done = await finalOrder(harness, order!.orderId, GD_5G);
  expect(done.state).toBe(OrderState.ORDER_STATE_COMPLETED);
  return harness.db.product.findUniqueOrThrow({ where: { id: done.productId } });
}

const eventsOn = (events: Array<{ subject: string; payload: Uint8Array }>, subject: string) =>
  events.filter((event) => event.subject === subject);

describe("subscriptions", () => {
  it("announces a trial once before it ends and converts it on time when asked, through a charged order", async () => {
    const harness = await startOrdersHarness();
    const events = await recordOrderEvents(harness.bus);
    await harness.openAccount(GD_5G, 100_00n);
    const trial = await subscribe(harness, "TRIAL_5G_BOOST_7D");
    expect(trial.trial).toBe(true);
    expect(trial.endAt!.getTime() - trial.startAt.getTime()).toBe(7 * DAY);
    // Free while on trial.
    expect(
      (await harness.billing.listCharges({ subscriberId: GD_5G, orderId: "", pageSize: 0, pageToken: "" })).charges,
    ).toHaveLength(0);

    const convert = { requestId: rid(), subscriberId: GD_5G, productId: trial.id };
    expect((await harness.client.convertTrial(convert)).product!.conversionRequested).toBe(true);
    expect((await harness.client.convertTrial(convert)).product!.conversionRequested).toBe(true);

    const dayBefore = new Date(trial.endAt!.getTime() - DAY / 2);
    await harness.runLifecycle(dayBefore);
    await harness.runLifecycle(dayBefore);
    const expiring = await waitFor("the expiring event", () => eventsOn(events, "orders.product.expiring")[0], {
      timeoutMs: 15_000,
    });
    expect(ProductExpiringEvent.decode(expiring.payload)).toMatchObject({ conversionPriceFen: 2000n });

    const afterEnd = new Date(trial.endAt!.getTime() + 1000);
    await Promise.all([harness.runLifecycle(afterEnd), harness.runLifecycle(afterEnd)]);
    await harness.runLifecycle(afterEnd);
    const paid = await waitFor(
      "the paid product after the trial",
      () =>
        harness.db.product.findFirst({
          where: { subscriberId: GD_5G, offeringCode: "TRIAL_5G_BOOST_7D", trial: false },
        }),
      { timeoutMs: 15_000 },
    );
    expect(paid).toMatchObject({ status: "ACTIVE", startAt: trial.endAt, endAt: null });
    const ended = await harness.db.product.findUniqueOrThrow({ where: { id: trial.id } });
    expect(ended).toMatchObject({ status: "ENDED", endReason: "TRIAL_CONVERTED" });

    const { charges } = await harness.billing.listCharges({
      subscriberId: GD_5G,
      orderId: "",
      pageSize: 0,
      pageToken: "",
    });
    expect(charges.map((charge) => [charge.amountFen, charge.status, charge.orderId])).toEqual([
      [2000n, ChargeStatus.CHARGE_STATUS_COMPLETED, paid!.orderId],
    ]);
    expect(eventsOn(events, "orders.product.expiring")).toHaveLength(1);
    const deactivated = await waitFor(
      "the deactivated event",
      () => eventsOn(events, "orders.product.deactivated")[0],
      { timeoutMs: 15_000 },
    );
    expect(ProductDeactivatedEvent.decode(deactivated.payload).reason).toBe(
      ProductEndReason.PRODUCT_END_REASON_TRIAL_CONVERTED,
    );
    expect(await harness.db.order.count({ where: { convertsProductId: trial.id } })).toBe(1);
  });

  it("cancels an unconverted trial on time, exactly once", async () => {
    const harness = await startOrdersHarness();
    const events = await recordOrderEvents(harness.bus);
    await harness.openAccount(GD_5G, 100_00n);
    const trial = await subscribe(harness, "TRIAL_5G_BOOST_7D");
    await harness.runLifecycle(new Date(trial.endAt!.getTime() - 1000));
    expect((await harness.db.product.findUniqueOrThrow({ where: { id: trial.id } })).status).toBe("ACTIVE");
    const afterEnd = new Date(trial.endAt!.getTime() + 1000);
    await Promise.all([harness.runLifecycle(afterEnd), harness.runLifecycle(afterEnd)]);
    expect(await harness.db.product.findUniqueOrThrow({ where: { id: trial.id } })).toMatchObject({
      status: "ENDED",
      endReason: "TRIAL_CANCELLED",
    });
    await waitFor("the deactivated event", () => eventsOn(events, "orders.product.deactivated")[0], {
      timeoutMs: 15_000,
    });
    await harness.runLifecycle(new Date(afterEnd.getTime() + DAY));
    expect(eventsOn(events, "orders.product.deactivated")).toHaveLength(1);
    expect(await harness.db.order.count()).toBe(1);
  });

  it("unsubscribes at once or at the period end, as the offering says; plans cannot be unsubscribed", async () => {
    const harness = await startOrdersHarness();
    await harness.openAccount(GD_5G, 1000_00n);
    const dayPass = await subscribe(harness, "DATA_1GB_1D");
    // Shorter than the 24-hour notice: ending soon is no news to announce.
    await harness.runLifecycle();
    expect((await harness.db.product.findUniqueOrThrow({ where: { id: dayPass.id } })).expiringAnnouncedAt).toBeNull();
    const { product: gone } = await harness.client.unsubscribe({
      requestId: rid(),
      subscriberId: GD_5G,
      productId: dayPass.id,
    });
    expect(gone).toMatchObject({
      status: ProductStatus.PRODUCT_STATUS_ENDED,
      endReason: ProductEndReason.PRODUCT_END_REASON_UNSUBSCRIBED,
    });

    const monthly = await subscribe(harness, "DATA_10GB_MONTH");
    const request = { requestId: rid(), subscriberId: GD_5G, productId: monthly.id };
    const { product: later } = await harness.client.unsubscribe(request);
    expect(later).toMatchObject({ status: ProductStatus.PRODUCT_STATUS_ACTIVE, unsubscribeRequested: true });
    expect((await harness.client.unsubscribe(request)).product!.snapshot!.endTime).toEqual(later!.snapshot!.endTime);
    await harness.runLifecycle(new Date(later!.snapshot!.endTime!.getTime() + 1000));
    expect(await harness.db.product.findUniqueOrThrow({ where: { id: monthly.id } })).toMatchObject({
      status: "ENDED",
      endReason: "UNSUBSCRIBED",
    });

    await seedOrders(harness.db, { subscribers: 3 });
    expect(await seedOrders(harness.db, { subscribers: 3 })).toBe(0);
    const { products } = await harness.client.listProducts({
      subscriberId: GD_5G,
      includeEnded: false,
      pageSize: 0,
      pageToken: "",
    });
    const plan = products.find((product) => product.snapshot!.offeringCode === "PLAN_5G_59")!;
    expect(plan.snapshot!.allowances).toHaveLength(3);
    await expectCallError(
      harness.client.unsubscribe({ requestId: rid(), subscriberId: GD_5G, productId: plan.snapshot!.productId }),
      status.FAILED_PRECONDITION,
      "PRODUCT_IS_PLAN",
    );
    await expectCallError(
      harness.client.unsubscribe({ requestId: rid(), subscriberId: "sub_demo000002", productId: dayPass.id }),
      status.NOT_FOUND,
      "PRODUCT_NOT_FOUND",
    );
    const all = await harness.client.listProducts({
      subscriberId: GD_5G,
      includeEnded: true,
      pageSize: 2,
      pageToken: "",
    });
    const rest = await harness.client.listProducts({
      subscriberId: GD_5G,
      includeEnded: true,
      pageSize: 2,
      pageToken: all.nextPageToken,
    });
    expect([...all.products, ...rest.products].map((product) => product.snapshot!.productId).sort()).toEqual(
      [dayPass.id, monthly.id, plan.snapshot!.productId].sort(),
    );
  });
});
