import { status } from "@grpc/grpc-js";
import { ChargeStatus } from "@omnihall/proto/omnihall/billing/v1/billing";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { ConfirmationRequestedEvent, OrderStateChangedEvent } from "@omnihall/proto/omnihall/orders/v1/order_events";
import { ProductActivatedEvent } from "@omnihall/proto/omnihall/orders/v1/events";
import { ConfirmationMethod, OrderState, type CreateOrderRequest } from "@omnihall/proto/omnihall/orders/v1/orders";
import { uniqueSuffix, waitFor } from "@omnihall/testkit";
import { describe, expect, it } from "vitest";
import { startOrdersHarness } from "../testing/orders-harness.js";
import { expectCallError, finalOrder, GD_5G, orderRequest, recordOrderEvents } from "../testing/expectations.js";

// Demo subscribers (see @omnihall/demo-data): GD on 5G plans, GD on the 4G plan, BJ.
const GD_5G_OTHER = "sub_demo000061";
const GD_4G = "sub_demo000022";
const BJ = "sub_demo000012";

const rid = () => `req-${uniqueSuffix()}`;

/** "KT" a one-day data pack by text message, as the SMS hall orders it for GD_5G. */
const smsOrder = () => orderRequest({ offeringCode: "DATA_1GB_1D", channel: Channel.CHANNEL_SMS_HALL });

describe("ordering through the web hall", () => {
  it("charges nothing before confirmation, then charges, provisions and activates once", async () => {
    const harness = await startOrdersHarness();
    const events = await recordOrderEvents(harness.bus);
    await harness.openAccount(GD_5G, 100_00n);

    const { order } = await harness.client.createOrder(orderRequest());
    expect(order).toMatchObject({
      state: OrderState.ORDER_STATE_PENDING,
      priceFen: 5000n,
      confirmationMethod: ConfirmationMethod.CONFIRMATION_METHOD_SESSION,
      campaignId: "",
      offeringName: { zhCn: "20GB 30 天流量包", en: "20 GB Data for 30 Days" },
    });
    const uncharged = await harness.billing.listCharges({
      subscriberId: GD_5G,
      orderId: "",
      pageSize: 0,
      pageToken: "",
    });
    expect(uncharged.charges).toHaveLength(0);

    await harness.client.confirmOrder({
      requestId: rid(),
      subscriberId: GD_5G,
      orderId: order!.orderId,
      confirmationCode: "",
    });
    const done = await finalOrder(harness, order!.orderId, GD_5G);
    expect(done.state).toBe(OrderState.ORDER_STATE_COMPLETED);
    expect(done.history.map((change) => change.toState)).toEqual([
      OrderState.ORDER_STATE_ACKNOWLEDGED,
      OrderState.ORDER_STATE_PENDING,
      OrderState.ORDER_STATE_IN_PROGRESS,
      OrderState.ORDER_STATE_COMPLETED,
    ]);

    const { charges } = await harness.billing.listCharges({
      subscriberId: GD_5G,
      orderId: order!.orderId,
      pageSize: 0,
      pageToken: "",
    });
    expect(charges.map((charge) => [charge.amountFen, charge.status])).toEqual([
      [5000n, ChargeStatus.CHARGE_STATUS_COMPLETED],
    ]);
    expect(done.chargeId).toBe(charges[0]!.chargeId);

    const { products } = await harness.client.listProducts({
      subscriberId: GD_5G,
      includeEnded: false,
      pageSize: 0,
      pageToken: "",
    });
    const product = products.find((p) => p.snapshot?.productId === done.productId)!;
    expect(product.snapshot).toMatchObject({ offeringCode: "DATA_20GB_30D", orderId: order!.orderId, trial: false });
    expect(product.snapshot!.endTime!.getTime() - product.snapshot!.startTime!.getTime()).toBe(30 * 86_400_000);

    const subjects = await waitFor(
      "the activation and completion events",
      () => {
        const seen = events.map((event) => event.subject);
        return seen.includes("orders.product.activated") && seen.includes("orders.order.completed") && seen;
      },
      { timeoutMs: 15_000 },
    );
    expect(subjects.filter((subject) => subject.startsWith("orders.order."))).toEqual([
      "orders.order.acknowledged",
      "orders.order.pending",
      "orders.order.in_progress",
      "orders.order.completed",
    ]);
    const completed = OrderStateChangedEvent.decode(
      events.find((e) => e.subject === "orders.order.completed")!.payload,
    );
    expect(completed.fromState).toBe(OrderState.ORDER_STATE_IN_PROGRESS);
    const activated = ProductActivatedEvent.decode(
      events.find((e) => e.subject === "orders.product.activated")!.payload,
    );
    expect(activated.product!.allowances[0]!.quantity).toBe(20n * 1024n * 1024n);
    expect(activated.product!.subscriberTimeZone).toBe("Asia/Shanghai");
  });

  it("turns retries and concurrent duplicates into one order and one charge", async () => {
    const harness = await startOrdersHarness();
    await harness.openAccount(GD_5G, 100_00n);
    const request = orderRequest({ offeringCode: "DATA_1GB_1D" });
    const created = await Promise.all(Array.from({ length: 8 }, () => harness.client.createOrder(request)));
    const orderIds = new Set(created.map((response) => response.order!.orderId));
    expect(orderIds.size).toBe(1);
    const [orderId] = [...orderIds];
    await expectCallError(
      harness.client.createOrder({ ...request, offeringCode: "DATA_20GB_30D" }),
      status.ALREADY_EXISTS,
      "REQUEST_ID_REUSED",
    );

    const confirm = { requestId: rid(), subscriberId: GD_5G, orderId: orderId!, confirmationCode: "" };
    const confirmed = await Promise.all(Array.from({ length: 6 }, () => harness.client.confirmOrder(confirm)));
    expect(new Set(confirmed.map((response) => response.order!.orderId))).toEqual(orderIds);
    await finalOrder(harness, orderId!, GD_5G);
    // A new confirmation (another request id) of a confirmed order is refused.
    await expectCallError(
      harness.client.confirmOrder({ ...confirm, requestId: rid() }),
      status.FAILED_PRECONDITION,
      "ORDER_ALREADY_CONFIRMED",
    );
    const { charges } = await harness.billing.listCharges({
      subscriberId: GD_5G,
      orderId: orderId!,
      pageSize: 0,
      pageToken: "",
    });
    expect(charges).toHaveLength(1);
    expect(await harness.db.order.count()).toBe(1);
  });

  it("answers bad input with clear reasons", async () => {
    const harness = await startOrdersHarness();
    const base: CreateOrderRequest = orderRequest({ requestId: "", offeringCode: "DATA_1GB_1D" });
    const create = (patch: Partial<CreateOrderRequest>) =>
      harness.client.createOrder({ ...base, requestId: rid(), ...patch });
    await expectCallError(harness.client.createOrder(base), status.INVALID_ARGUMENT, "REQUEST_ID_REQUIRED");
    await expectCallError(create({ subscriberId: "bob" }), status.INVALID_ARGUMENT, "SUBSCRIBER_ID_MALFORMED");
    await expectCallError(
      create({ channel: Channel.CHANNEL_UNSPECIFIED }),
      status.INVALID_ARGUMENT,
      "CHANNEL_REQUIRED",
    );
    await expectCallError(create({ subscriberId: "sub_nobody" }), status.NOT_FOUND, "SUBSCRIBER_NOT_FOUND");
    await expectCallError(create({ offeringCode: "NO_SUCH_THING" }), status.NOT_FOUND, "OFFERING_NOT_FOUND");
    // Fibre is laid in GD, ZJ, SC and HB only.
    const installation = {
      address: "北京市朝阳区 1 号",
      appointmentTime: new Date(Date.now() + 86_400_000),
      contactMsisdn: "",
    };
    await expectCallError(
      create({ subscriberId: BJ, offeringCode: "BB_300M_NEW", installation }),
      status.FAILED_PRECONDITION,
      "OFFERING_NOT_AVAILABLE",
    );
    // The SMS hall does not sell SIM cards.
    await expectCallError(
      create({ offeringCode: "SIM_NEW_NUMBER", channel: Channel.CHANNEL_SMS_HALL, number: "13900000000" }),
      status.FAILED_PRECONDITION,
      "OFFERING_NOT_AVAILABLE",
    );
    // The 5G boost is for 5G plans only.
    await expectCallError(
      create({ subscriberId: GD_4G, offeringCode: "DATA_5G_BOOST_30GB" }),
      status.FAILED_PRECONDITION,
      "SUBSCRIBER_NOT_ELIGIBLE",
    );
    await expectCallError(
      create({ offeringCode: "BB_300M_NEW" }),
      status.INVALID_ARGUMENT,
      "INSTALLATION_APPOINTMENT_REQUIRED",
    );
    await expectCallError(
      create({ offeringCode: "BB_300M_NEW", installation: { ...installation, appointmentTime: new Date(0) } }),
      status.INVALID_ARGUMENT,
      "INSTALLATION_APPOINTMENT_INVALID",
    );
    await expectCallError(create({ offeringCode: "SIM_NEW_NUMBER" }), status.INVALID_ARGUMENT, "NUMBER_REQUIRED");

    const { order } = await create({});
    await expectCallError(
      harness.client.confirmOrder({
        requestId: rid(),
        subscriberId: GD_5G_OTHER,
        orderId: order!.orderId,
        confirmationCode: "",
      }),
      status.NOT_FOUND,
      "ORDER_NOT_FOUND",
    );
    await expectCallError(
      harness.client.getOrder({ orderId: order!.orderId, subscriberId: GD_5G_OTHER }),
      status.NOT_FOUND,
      "ORDER_NOT_FOUND",
    );
    await expectCallError(
      harness.client.getOrder({ orderId: "ord_../../etc", subscriberId: "" }),
      status.INVALID_ARGUMENT,
      "ORDER_ID_MALFORMED",
    );
    await expectCallError(
      harness.client.listOrders({
        subscriberId: GD_5G,
        states: [],
        channel: 0,
        campaignId: "",
        pageSize: -1,
        pageToken: "",
      }),
      status.INVALID_ARGUMENT,
      "PAGE_SIZE_INVALID",
    );
  });
});

describe("confirmation by code", () => {
  it("sends a code for an SMS order and takes the reply by code alone; wrong codes are counted", async () => {
    const harness = await startOrdersHarness();
    const events = await recordOrderEvents(harness.bus);
    await harness.openAccount(GD_5G, 100_00n);
    // The SMS hall knows the subscriber by the number the text came from.
    const sms = harness.clientAs("sms-hall", { kind: "subscriber", subscriberId: GD_5G, msisdn: "13800138000" });
    const { order } = await sms.createOrder(smsOrder());
    expect(order!.confirmationMethod).toBe(ConfirmationMethod.CONFIRMATION_METHOD_SMS_REPLY);
    const requested = await waitFor(
      "the confirmation request",
      () => events.find((e) => e.subject === "orders.confirmation.requested"),
      { timeoutMs: 15_000 },
    );
    const { code, msisdn, text } = ConfirmationRequestedEvent.decode(requested.payload);
    expect(msisdn).toBe("13800138000");
    expect(text!.zhCn).toContain(`回复 Y ${code}`);
    const stored = await harness.db.order.findUniqueOrThrow({ where: { id: order!.orderId } });
    expect(stored.confirmationCodeHash).toMatch(/^[0-9a-f]{64}$/);

    const wrong = code === "000000" ? "000001" : "000000";
    const failure = await expectCallError(
      sms.confirmOrder({ requestId: rid(), subscriberId: GD_5G, orderId: order!.orderId, confirmationCode: wrong }),
      status.PERMISSION_DENIED,
      "CONFIRMATION_CODE_WRONG",
    );
    expect(failure.metadata.attemptsLeft).toBe("4");
    // Only a reply from the subscriber's own phone may leave the code out; the web hall may not.
    const web = harness.clientAs("web-hall", { kind: "subscriber", subscriberId: GD_5G, msisdn: "13800138000" });
    await expectCallError(
      web.confirmOrder({ requestId: rid(), subscriberId: GD_5G, orderId: order!.orderId, confirmationCode: "" }),
      status.INVALID_ARGUMENT,
      "CONFIRMATION_CODE_REQUIRED",
    );
    // "Y <code>" from the subscriber's phone: the SMS hall knows the subscriber, not the order.
    const { order: confirmed } = await sms.confirmOrder({
      requestId: rid(),
      subscriberId: GD_5G,
      orderId: "",
      confirmationCode: code,
    });
    expect(confirmed!.orderId).toBe(order!.orderId);
    expect((await finalOrder(harness, order!.orderId, GD_5G)).state).toBe(OrderState.ORDER_STATE_COMPLETED);
  });

  it("takes a plain Y from the subscriber's own phone for the order the SMS hall names", async () => {
    const harness = await startOrdersHarness();
    await harness.openAccount(GD_5G, 100_00n);
    const sms = harness.clientAs("sms-hall", { kind: "subscriber", subscriberId: GD_5G, msisdn: "13800138000" });
    const { order } = await sms.createOrder(smsOrder());
    // Another subscriber's phone cannot confirm it, with or without a code.
    const other = harness.clientAs("sms-hall", {
      kind: "subscriber",
      subscriberId: "sub_demo000002",
      msisdn: "13800138001",
    });
    await expectCallError(
      other.confirmOrder({
        requestId: rid(),
        subscriberId: "sub_demo000002",
        orderId: order!.orderId,
        confirmationCode: "",
      }),
      status.NOT_FOUND,
      "ORDER_NOT_FOUND",
    );
    const { order: confirmed } = await sms.confirmOrder({
      requestId: rid(),
      subscriberId: GD_5G,
      orderId: order!.orderId,
      confirmationCode: "",
    });
    expect(confirmed!.state).toBe(OrderState.ORDER_STATE_IN_PROGRESS);
    expect((await finalOrder(harness, order!.orderId, GD_5G)).state).toBe(OrderState.ORDER_STATE_COMPLETED);
  });

  it("cancels an order after five wrong codes, and unconfirmed orders when their time is up", async () => {
    const harness = await startOrdersHarness();
    const mini = harness.clientAs("mini-hall", {
      kind: "agent",
      agentId: "agent-007",
      territory: { provinceCode: "GD" },
    });
    const request = orderRequest({
      offeringCode: "DATA_1GB_1D",
      channel: Channel.CHANNEL_MINI_HALL,
      agentId: "agent-007",
    });
    const { order } = await mini.createOrder({ ...request, requestId: rid() });
    expect(order!.confirmationMethod).toBe(ConfirmationMethod.CONFIRMATION_METHOD_ONE_TIME_CODE);
    const attempt = () =>
      mini.confirmOrder({ requestId: rid(), subscriberId: GD_5G, orderId: order!.orderId, confirmationCode: "abcdef" });
    for (let i = 0; i < 4; i++) await expectCallError(attempt(), status.PERMISSION_DENIED, "CONFIRMATION_CODE_WRONG");
    await expectCallError(attempt(), status.FAILED_PRECONDITION, "CONFIRMATION_ATTEMPTS_EXHAUSTED");
    const { order: cancelled } = await mini.getOrder({ orderId: order!.orderId, subscriberId: GD_5G });
    expect(cancelled).toMatchObject({
      state: OrderState.ORDER_STATE_CANCELLED,
      failureReason: "CONFIRMATION_ATTEMPTS_EXHAUSTED",
    });

    const { order: late } = await mini.createOrder({ ...request, requestId: rid() });
    await harness.runLifecycle(new Date(Date.now() + 16 * 60_000));
    const { order: expired } = await mini.getOrder({ orderId: late!.orderId, subscriberId: GD_5G });
    expect(expired).toMatchObject({ state: OrderState.ORDER_STATE_CANCELLED, failureReason: "CONFIRMATION_EXPIRED" });
    await expectCallError(
      mini.confirmOrder({ requestId: rid(), subscriberId: GD_5G, orderId: late!.orderId, confirmationCode: "123456" }),
      status.FAILED_PRECONDITION,
      "CONFIRMATION_EXPIRED",
    );
  });

  it("lets the subscriber cancel before confirming, not after", async () => {
    const harness = await startOrdersHarness();
    await harness.openAccount(GD_5G, 100_00n);
    const request = orderRequest({ offeringCode: "DATA_1GB_1D" });
    const { order } = await harness.client.createOrder({ ...request, requestId: rid() });
    const cancel = { requestId: rid(), subscriberId: GD_5G, orderId: order!.orderId };
    expect((await harness.client.cancelOrder(cancel)).order!.state).toBe(OrderState.ORDER_STATE_CANCELLED);
    expect((await harness.client.cancelOrder(cancel)).order!.state).toBe(OrderState.ORDER_STATE_CANCELLED);
    await expectCallError(
      harness.client.confirmOrder({
        requestId: rid(),
        subscriberId: GD_5G,
        orderId: order!.orderId,
        confirmationCode: "",
      }),
      status.FAILED_PRECONDITION,
      "ORDER_NOT_PENDING",
    );

    const { order: second } = await harness.client.createOrder({ ...request, requestId: rid() });
    await harness.client.confirmOrder({
      requestId: rid(),
      subscriberId: GD_5G,
      orderId: second!.orderId,
      confirmationCode: "",
    });
    await expectCallError(
      harness.client.cancelOrder({ requestId: rid(), subscriberId: GD_5G, orderId: second!.orderId }),
      status.FAILED_PRECONDITION,
      "ORDER_NOT_CANCELLABLE",
    );
  });
});
