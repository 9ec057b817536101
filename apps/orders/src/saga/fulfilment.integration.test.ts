import { createServiceClient } from "@omnihall/channel-client";
import { developmentCallerKey } from "@omnihall/config";
import {
  BillingServiceClient,
  ChargeStatus,
  PaymentMethod,
  PaymentPurpose,
} from "@omnihall/proto/omnihall/billing/v1/billing";
import { InstallationProgressedEvent, OrderStateChangedEvent } from "@omnihall/proto/omnihall/orders/v1/order_events";
import { InstallationMilestone, OrderState, type CreateOrderRequest } from "@omnihall/proto/omnihall/orders/v1/orders";
import { uniqueSuffix, waitFor } from "@omnihall/testkit";
import { describe, expect, it, onTestFinished } from "vitest";
import { startOrdersHarness, type OrdersHarness } from "../testing/orders-harness.js";
import { finalOrder, GD_5G, orderRequest, recordOrderEvents } from "../testing/expectations.js";

/** Creates and confirms an order through the web hall, and waits until it is final. */
async function orderToTheEnd(harness: OrdersHarness, patch: Partial<CreateOrderRequest> = {}) {
  const { order } = await harness.client.createOrder(orderRequest(patch));
  await harness.client.confirmOrder({
    requestId: `c-${uniqueSuffix()}`,
    subscriberId: order!.subscriberId,
    orderId: order!.orderId,
    confirmationCode: "",
  });
  return finalOrder(harness, order!.orderId, order!.subscriberId, 30_000);
}

async function chargesOf(harness: OrdersHarness, subscriberId: string, orderId: string) {
  const { charges } = await harness.billing.listCharges({ subscriberId, orderId, pageSize: 0, pageToken: "" });
  return charges;
}

describe("fulfilment saga", () => {
  it("holds an order the balance does not cover until the subscriber pays for it, then completes it", async () => {
    const harness = await startOrdersHarness();
    const events = await recordOrderEvents(harness.bus);
    await harness.openAccount(GD_5G, 10n);
    const { order } = await harness.client.createOrder(orderRequest());
    const orderId = order!.orderId;
    await harness.client.confirmOrder({
      requestId: `c-${uniqueSuffix()}`,
      subscriberId: GD_5G,
      orderId,
      confirmationCode: "",
    });
    const held = await waitFor(
      "the order to be held",
      async () => {
        const { order: current } = await harness.client.getOrder({ orderId, subscriberId: GD_5G });
        return current!.state === OrderState.ORDER_STATE_HELD && current!;
      },
      { timeoutMs: 15_000 },
    );
    expect(held).toMatchObject({ holdReason: "AWAITING_PAYMENT", chargeId: "" });
    expect(held.paymentDueTime!.getTime()).toBeGreaterThan(Date.now() + 60_000);
    const holds = events.filter((event) => event.subject === "orders.order.held");
    expect(holds.map((event) => OrderStateChangedEvent.decode(event.payload).reason)).toEqual(["AWAITING_PAYMENT"]);

    // The subscriber pays the price in cash at a kiosk, for this order.
    const kiosk = createServiceClient(BillingServiceClient, {
      address: harness.billingAddress,
      caller: "kiosk",
      credential: developmentCallerKey("kiosk"),
    });
    onTestFinished(() => kiosk.close());
    const party = {
      party: { kind: "subscriber", subscriberId: GD_5G, msisdn: "13800000001", deviceId: "kiosk-1" },
    } as const;
    const { payment } = await kiosk.createPayment(
      {
        requestId: `pay-${uniqueSuffix()}`,
        subscriberId: GD_5G,
        amountFen: order!.priceFen,
        purpose: PaymentPurpose.PAYMENT_PURPOSE_ORDER,
        orderId,
        paymentMethod: PaymentMethod.PAYMENT_METHOD_CASH,
        channel: 0,
        card: undefined,
        returnUrl: "",
      },
      party,
    );
    await kiosk.recordCashNote(
      { paymentId: payment!.paymentId, subscriberId: GD_5G, sequence: 1, denominationFen: order!.priceFen },
      party,
    );
    await kiosk.closeCashSession(
      { requestId: `close-${uniqueSuffix()}`, paymentId: payment!.paymentId, subscriberId: GD_5G },
      party,
    );

    const done = await waitFor(
      "the order to complete",
      async () => {
        const { order: current } = await harness.client.getOrder({ orderId, subscriberId: GD_5G });
        return current!.state === OrderState.ORDER_STATE_COMPLETED && current!;
      },
      { timeoutMs: 15_000 },
    );
    expect(done).toMatchObject({ holdReason: "", paymentDueTime: undefined });
    expect((await chargesOf(harness, GD_5G, orderId)).map((charge) => charge.amountFen)).toEqual([order!.priceFen]);
    expect((await harness.billing.getBalance({ subscriberId: GD_5G })).balanceFen).toBe(10n);
  });

  it("fails without charging when the balance does not cover the price and nobody pays in time", async () => {
    const harness = await startOrdersHarness({ ORDER_PAYMENT_WAIT_SECONDS: "0" });
    await harness.openAccount(GD_5G, 10n);
    const order = await orderToTheEnd(harness);
    expect(order).toMatchObject({
      state: OrderState.ORDER_STATE_FAILED,
      failureReason: "INSUFFICIENT_BALANCE",
      chargeId: "",
    });
    expect(await chargesOf(harness, GD_5G, order.orderId)).toHaveLength(0);
    expect(await harness.db.product.count({ where: { orderId: order.orderId } })).toBe(0);
  });

  it("refunds the charge when the network rejects the order", async () => {
    const harness = await startOrdersHarness({ PROVISIONING_FAILURE_RATE: "1" });
    await harness.openAccount(GD_5G, 100_00n);
    const order = await orderToTheEnd(harness);
    expect(order).toMatchObject({ state: OrderState.ORDER_STATE_FAILED, failureReason: "PROVISIONING_REJECTED" });
    const charges = await chargesOf(harness, GD_5G, order.orderId);
    expect(charges.map((charge) => [charge.amountFen, charge.status])).toEqual([
      [5000n, ChargeStatus.CHARGE_STATUS_REFUNDED],
    ]);
    const { balanceFen } = await harness.billing.getBalance({ subscriberId: GD_5G });
    expect(balanceFen).toBe(100_00n);
  });

  it("holds a new broadband line until it is installed, reporting each milestone", async () => {
    const harness = await startOrdersHarness({ INSTALLATION_STEP_MS: "300" });
    const events = await recordOrderEvents(harness.bus);
    await harness.openAccount(GD_5G, 1000_00n);
    const appointmentTime = new Date(Date.now() + 2 * 86_400_000);
    const order = await orderToTheEnd(harness, {
      offeringCode: "BB_300M_NEW",
      installation: { address: "深圳市南山区科技园 1 号", appointmentTime, contactMsisdn: "" },
    });
    expect(order.state).toBe(OrderState.ORDER_STATE_COMPLETED);
    expect(order.installation).toMatchObject({ appointmentTime, contactMsisdn: "13800138000" });
    const { order: full } = await harness.client.getOrder({ orderId: order.orderId, subscriberId: GD_5G });
    expect(full!.history.map((change) => change.toState)).toEqual([
      OrderState.ORDER_STATE_ACKNOWLEDGED,
      OrderState.ORDER_STATE_PENDING,
      OrderState.ORDER_STATE_IN_PROGRESS,
      OrderState.ORDER_STATE_HELD,
      OrderState.ORDER_STATE_IN_PROGRESS,
      OrderState.ORDER_STATE_COMPLETED,
    ]);
    const milestones = [
      InstallationMilestone.INSTALLATION_MILESTONE_ACCEPTED,
      InstallationMilestone.INSTALLATION_MILESTONE_ENGINEER_ASSIGNED,
      InstallationMilestone.INSTALLATION_MILESTONE_SCHEDULED,
      InstallationMilestone.INSTALLATION_MILESTONE_INSTALLED,
    ];
    expect(full!.installationProgress.map((progress) => progress.milestone)).toEqual(milestones);
    const published = await waitFor(
      "four installation milestones",
      () => {
        const progressed = events.filter((event) => event.subject === "orders.installation.progressed");
        return progressed.length >= 4 && progressed;
      },
      { timeoutMs: 15_000 },
    );
    expect(published.map((event) => InstallationProgressedEvent.decode(event.payload).progress!.milestone)).toEqual(
      milestones,
    );
    // The price of a new line includes the installation fee.
    expect((await chargesOf(harness, GD_5G, order.orderId))[0]!.amountFen).toBe(order.priceFen);
  });

  it("sells a chosen number once: the sale consumes its reservation, a second order for it is refused", async () => {
    const harness = await startOrdersHarness();
    await harness.openAccount(GD_5G, 1000_00n);
    await harness.openAccount("sub_demo000061", 1000_00n);
    const { numbers } = await harness.catalog.listAvailableNumbers({
      provinceCode: "GD",
      pattern: "",
      pageSize: 1,
      pageToken: "",
    });
    const number = numbers[0]!;
    const order = await orderToTheEnd(harness, { offeringCode: "SIM_NEW_NUMBER", number: number.msisdn });
    expect(order).toMatchObject({ state: OrderState.ORDER_STATE_COMPLETED, number: number.msisdn });
    expect(order.priceFen).toBe(1000n + number.selectionFeeFen);
    const taken = await harness.client
      .createOrder(
        orderRequest({ subscriberId: "sub_demo000061", offeringCode: "SIM_NEW_NUMBER", number: number.msisdn }),
      )
      .catch((error: { reason?: string }) => error.reason);
    expect(taken).toBe("NUMBER_NOT_AVAILABLE");
  });
});
