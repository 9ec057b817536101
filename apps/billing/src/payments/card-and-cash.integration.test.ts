import type { ServiceCallError } from "@omnihall/channel-client";
import {
  BillingServiceClient,
  PaymentMethod,
  PaymentPurpose,
  PaymentStatus,
  type CreatePaymentRequest,
} from "@omnihall/proto/omnihall/billing/v1/billing";
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { billingUnderTest } from "../testing/billing-under-test.js";

type Billing = Awaited<ReturnType<typeof billingUnderTest>>;

/** The mini hall's handheld, its field agent working in Shenzhen. */
const miniHall = (billing: Billing) =>
  billing.clientAs(BillingServiceClient, "mini-hall", {
    kind: "agent",
    agentId: "agent-007",
    territory: { provinceCode: "GD", city: "深圳" },
  });

const cardPayment = (subscriberId: string, amountFen: bigint, pan: string): CreatePaymentRequest => ({
  requestId: `mini-hall:${randomUUID()}`,
  subscriberId,
  amountFen,
  purpose: PaymentPurpose.PAYMENT_PURPOSE_TOP_UP,
  orderId: "",
  paymentMethod: PaymentMethod.PAYMENT_METHOD_BANK_CARD,
  channel: 0,
  card: { pan, expiry: "2912", pinBlock: "0412AC89EFB3C2D1", terminalId: "T0000001" },
  returnUrl: "",
});

describe("bank cards on the mini hall's POS terminal", () => {
  it("approve a sale once, map declines to clear messages, and reverse a sale whose answer was lost", async () => {
    const billing = await billingUnderTest({ GATEWAY_TIMEOUT_MS: "1500" });
    const subscriberId = await billing.account(0n);
    const terminal = miniHall(billing);

    const sale = cardPayment(subscriberId, 5_000n, "6222020200112233445");
    const { payment } = await terminal.createPayment(sale);
    expect(payment).toMatchObject({ status: PaymentStatus.PAYMENT_STATUS_SUCCEEDED, balanceAfterFen: 5_000n });
    expect(payment!.providerReference).not.toBe("");
    // The same request again: the same payment, no second sale.
    expect((await terminal.createPayment(sale)).payment?.paymentId).toBe(payment!.paymentId);
    expect(billing.gateways.acquirer.charged()).toBe(5_000n);

    const declined = (await terminal.createPayment(cardPayment(subscriberId, 1_000n, "6222020200110051"))).payment;
    expect(declined).toMatchObject({
      status: PaymentStatus.PAYMENT_STATUS_FAILED,
      failureReason: "CARD_INSUFFICIENT_FUNDS",
      failureMessage: { zhCn: "卡内余额不足。", en: "The card has insufficient funds." },
    });

    // The acquirer books the sale but its answer never reaches us: billing reverses it, nothing is charged.
    billing.gateways.acquirer.loseAnswers(1);
    const lost = cardPayment(subscriberId, 2_000n, "6222020200119988");
    const { payment: reversed } = await terminal.createPayment(lost);
    expect(reversed).toMatchObject({ status: PaymentStatus.PAYMENT_STATUS_FAILED, failureReason: "CARD_ANSWER_LOST" });
    billing.gateways.acquirer.release();
    expect((await terminal.createPayment(lost)).payment?.status).toBe(PaymentStatus.PAYMENT_STATUS_FAILED);
    expect(billing.gateways.acquirer.transactions.map((t) => t.state)).toEqual(["APPROVED", "REVERSED"]);
    expect(billing.gateways.acquirer.charged()).toBe(5_000n);
    expect((await billing.client.getBalance({ subscriberId })).balanceFen).toBe(5_000n);

    // Outside the agent's territory: refused before any money moves.
    const beijinger = await billing.account(0n, { provinceCode: "BJ", city: "北京" });
    await expect(terminal.createPayment(cardPayment(beijinger, 100n, "6222020200112233445"))).rejects.toMatchObject({
      reason: "OUTSIDE_PARTY_SCOPE",
    });
  });
});

describe("cash at the kiosk", () => {
  it("counts notes once by sequence, survives the kiosk restarting, and credits once on close", async () => {
    const billing = await billingUnderTest();
    const subscriberId = await billing.account(100n);
    // The subscriber identified at a kiosk in a shop.
    const kiosk = billing.clientAs(BillingServiceClient, "kiosk", {
      ...billing.asSubscriber(subscriberId),
      deviceId: "kiosk-sz-01",
    });
    const { payment: session } = await kiosk.createPayment({
      ...cardPayment(subscriberId, 20_000n, ""),
      requestId: `kiosk:${randomUUID()}`,
      paymentMethod: PaymentMethod.PAYMENT_METHOD_CASH,
      card: undefined,
    });
    expect(session?.status).toBe(PaymentStatus.PAYMENT_STATUS_PENDING);
    const note = (sequence: number, denominationFen: bigint) =>
      kiosk.recordCashNote({ paymentId: session!.paymentId, subscriberId, sequence, denominationFen });

    await note(1, 5_000n);
    await note(2, 10_000n);
    // The kiosk restarts and replays its journal from the start: nothing is counted twice.
    await note(1, 5_000n);
    expect((await note(2, 10_000n)).payment).toMatchObject({ cashCountedFen: 15_000n, cashLastSequence: 2 });
    await expect(note(2, 100n)).rejects.toMatchObject({ reason: "CASH_SEQUENCE_CONFLICT" });
    await expect(note(4, 100n)).rejects.toMatchObject({ reason: "CASH_SEQUENCE_CONFLICT" });
    await expect(note(3, 300n)).rejects.toMatchObject({ reason: "CASH_DENOMINATION_INVALID" });
    await expect(note(3, 10_000n)).rejects.toMatchObject({ reason: "AMOUNT_OVER_LIMIT" });
    await note(3, 1_000n);

    const close = { requestId: randomUUID(), paymentId: session!.paymentId, subscriberId };
    const closes = await Promise.all([kiosk.closeCashSession(close), kiosk.closeCashSession(close)]);
    for (const { payment } of closes) {
      expect(payment).toMatchObject({ status: PaymentStatus.PAYMENT_STATUS_SUCCEEDED, amountFen: 16_000n });
    }
    expect((await billing.client.getBalance({ subscriberId })).balanceFen).toBe(16_100n);
    await expect(note(4, 100n)).rejects.toMatchObject({ reason: "CASH_SESSION_CLOSED" });
  });

  it("closes a session the kiosk never came back to with what it counted, once", async () => {
    const billing = await billingUnderTest({ CASH_SESSION_IDLE_SECONDS: "1", PAYMENT_SWEEP_MS: "100" });
    const subscriberId = await billing.account(0n);
    const kiosk = billing.clientAs(BillingServiceClient, "kiosk", billing.asSubscriber(subscriberId));
    const { payment: session } = await kiosk.createPayment({
      ...cardPayment(subscriberId, 50_000n, ""),
      requestId: `kiosk:${randomUUID()}`,
      paymentMethod: PaymentMethod.PAYMENT_METHOD_CASH,
      card: undefined,
    });
    await kiosk.recordCashNote({ paymentId: session!.paymentId, subscriberId, sequence: 1, denominationFen: 2_000n });
    const statusOf = async () =>
      (await billing.client.getPayment({ subscriberId, paymentId: session!.paymentId })).payment;
    await expect
      .poll(async () => (await statusOf())?.status, { timeout: 20_000 })
      .toBe(PaymentStatus.PAYMENT_STATUS_SUCCEEDED);
    // The kiosk comes back after all and closes: the same answer, no second credit.
    const late = await kiosk.closeCashSession({ requestId: randomUUID(), paymentId: session!.paymentId, subscriberId });
    expect(late.payment).toMatchObject({ status: PaymentStatus.PAYMENT_STATUS_SUCCEEDED, amountFen: 2_000n });
    expect((await billing.client.getBalance({ subscriberId })).balanceFen).toBe(2_000n);
    const error = await billing.client
      .createPayment({
        ...cardPayment(subscriberId, 100n, ""),
        paymentMethod: PaymentMethod.PAYMENT_METHOD_CASH,
        card: undefined,
      })
      .catch((e: unknown) => e as ServiceCallError);
    expect(error).toMatchObject({ reason: "PAYMENT_METHOD_NOT_ALLOWED" });
  });
});
