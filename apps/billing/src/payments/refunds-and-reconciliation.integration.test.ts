import { status } from "@grpc/grpc-js";
import type { ServiceCallError } from "@omnihall/channel-client";
import {
  BillingServiceClient,
  Gateway,
  PaymentMethod,
  PaymentPurpose,
  PaymentStatus,
  ReconciliationOutcome,
  RefundStatus,
} from "@omnihall/proto/omnihall/billing/v1/billing";
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { billingUnderTest } from "../testing/billing-under-test.js";

type Billing = Awaited<ReturnType<typeof billingUnderTest>>;

const rejection = (call: Promise<unknown>) =>
  call.then(
    () => expect.fail("the call succeeded"),
    (e: unknown) => e as ServiceCallError,
  );

/** A paid online top-up: created by the web hall, paid on the simulator's page, notified. */
async function paidTopUp(billing: Billing, subscriberId: string, amountFen: bigint, method: PaymentMethod) {
  const { payment } = await billing.client.createPayment({
    requestId: randomUUID(),
    subscriberId,
    amountFen,
    purpose: PaymentPurpose.PAYMENT_PURPOSE_TOP_UP,
    orderId: "",
    paymentMethod: method,
    channel: 0,
    card: undefined,
    returnUrl: "",
  });
  const gateway = {
    [PaymentMethod.PAYMENT_METHOD_ALIPAY]: "alipay",
    [PaymentMethod.PAYMENT_METHOD_WECHAT_PAY]: "wechat",
  }[method as number] as "alipay" | "wechat";
  await billing.gateways.pay(gateway, payment!.paymentId);
  return payment!.paymentId;
}

describe("refunds", () => {
  it("return money to the original method, partly or fully, once per request_id, never above what was paid", async () => {
    const billing = await billingUnderTest();
    const subscriberId = await billing.account(0n);
    const paymentId = await paidTopUp(billing, subscriberId, 10_000n, PaymentMethod.PAYMENT_METHOD_ALIPAY);
    const ops = billing.support;

    const partial = { requestId: randomUUID(), subscriberId, paymentId, amountFen: 3_000n, reason: "投诉补偿" };
    const answers = await Promise.all(Array.from({ length: 10 }, () => ops.refundPayment(partial)));
    for (const answer of answers) expect(answer.refund).toEqual(answers[0]!.refund);
    expect(answers[0]).toMatchObject({
      refund: { amountFen: 3_000n, status: RefundStatus.REFUND_STATUS_SUCCEEDED },
      payment: { status: PaymentStatus.PAYMENT_STATUS_PARTIALLY_REFUNDED, refundedFen: 3_000n },
    });
    expect(billing.gateways.book.get("alipay", paymentId)?.refunds.map((r) => r.amountFen)).toEqual([3_000n]);
    expect((await billing.client.getBalance({ subscriberId })).balanceFen).toBe(7_000n);

    expect(await rejection(ops.refundPayment({ ...partial, amountFen: 4_000n }))).toMatchObject({
      code: status.ALREADY_EXISTS,
      reason: "REQUEST_ID_REUSED",
    });
    expect(
      await rejection(ops.refundPayment({ ...partial, requestId: randomUUID(), amountFen: 7_001n })),
    ).toMatchObject({
      code: status.FAILED_PRECONDITION,
      reason: "REFUND_EXCEEDS_PAYMENT",
      metadata: { refundableFen: "7000" },
    });
    const rest = await ops.refundPayment({ ...partial, requestId: randomUUID(), amountFen: 0n });
    expect(rest).toMatchObject({
      refund: { amountFen: 7_000n },
      payment: { status: PaymentStatus.PAYMENT_STATUS_REFUNDED, refundedFen: 10_000n },
    });
    expect(await rejection(ops.refundPayment({ ...partial, requestId: randomUUID(), amountFen: 1n }))).toMatchObject({
      reason: "PAYMENT_NOT_REFUNDABLE",
    });
    expect((await billing.client.getBalance({ subscriberId })).balanceFen).toBe(0n);
    expect(await billing.db.outboxMessage.count({ where: { subject: "billing.payment.refunded" } })).toBe(2);

    // Not for halls acting for subscribers, nor for operators outside their province.
    expect(await rejection(billing.client.refundPayment({ ...partial, requestId: randomUUID() }))).toMatchObject({
      reason: "CALLER_NOT_ALLOWED",
    });
    const sichuan = billing.clientAs(BillingServiceClient, "ops-console", {
      kind: "operator",
      operatorId: "ops-sc-1",
      roles: ["support"],
      provinceScope: "SC",
    });
    expect(await rejection(sichuan.refundPayment({ ...partial, requestId: randomUUID() }))).toMatchObject({
      reason: "OUTSIDE_PARTY_SCOPE",
    });
  });

  it("refuse a refund the balance no longer covers, and unpaid or unknown payments", async () => {
    const billing = await billingUnderTest();
    const subscriberId = await billing.account(0n);
    const paymentId = await paidTopUp(billing, subscriberId, 2_000n, PaymentMethod.PAYMENT_METHOD_WECHAT_PAY);
    await billing.orders.createCharge({
      requestId: randomUUID(),
      subscriberId,
      orderId: "ord_spent",
      amountFen: 1_500n,
      description: { zhCn: "流量包", en: "Data pack" },
      channel: 1,
    });
    const ops = billing.support;
    const base = { subscriberId, paymentId, amountFen: 0n, reason: "" };
    expect(await rejection(ops.refundPayment({ ...base, requestId: randomUUID() }))).toMatchObject({
      reason: "INSUFFICIENT_BALANCE",
    });
    expect(
      await rejection(ops.refundPayment({ ...base, requestId: randomUUID(), paymentId: "pay_unknown" })),
    ).toMatchObject({ reason: "PAYMENT_NOT_FOUND" });
    expect(billing.gateways.book.get("wechat", paymentId)?.refunds).toEqual([]);
    expect((await billing.client.getBalance({ subscriberId })).balanceFen).toBe(500n);
  });
});

describe("daily reconciliation", () => {
  it("reports matched lines and one planted difference of each kind, changing nothing", async () => {
    const billing = await billingUnderTest();
    const subscriberId = await billing.account(0n);
    const alipay = PaymentMethod.PAYMENT_METHOD_ALIPAY;
    const matched = await paidTopUp(billing, subscriberId, 1_000n, alipay);
    const differs = await paidTopUp(billing, subscriberId, 2_000n, alipay);
    const missingTheirs = await paidTopUp(billing, subscriberId, 3_000n, alipay);
    const { refund } = await billing.support.refundPayment({
      requestId: randomUUID(),
      subscriberId,
      paymentId: matched,
      amountFen: 400n,
      reason: "",
    });
    const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
    billing.gateways.editStatement("alipay", today, { kind: "PAYMENT", reference: differs, amountFen: 2_100n });
    billing.gateways.editStatement("alipay", today, { kind: "PAYMENT", reference: missingTheirs, remove: true });
    billing.gateways.editStatement("alipay", today, {
      kind: "PAYMENT",
      reference: "pay_paid_but_unknown_to_us",
      providerReference: "2026000000",
      amountFen: 999n,
    });
    const balanceBefore = (await billing.client.getBalance({ subscriberId })).balanceFen;

    const ops = billing.clientAs(BillingServiceClient, "ops-console", {
      kind: "operator",
      operatorId: "ops-hq-1",
      roles: ["viewer"],
      provinceScope: "*",
    });
    const report = await ops.reconcilePayments({ gateway: Gateway.GATEWAY_ALIPAY, businessDate: today });
    const outcome = (reference: string) => report.lines.find((l) => l.reference === reference)?.outcome;
    expect(report.matchedCount).toBe(2);
    expect(outcome(matched)).toBe(ReconciliationOutcome.RECONCILIATION_OUTCOME_MATCHED);
    expect(outcome(refund!.refundId)).toBe(ReconciliationOutcome.RECONCILIATION_OUTCOME_MATCHED);
    expect(report.lines.find((l) => l.reference === differs)).toMatchObject({
      outcome: ReconciliationOutcome.RECONCILIATION_OUTCOME_AMOUNT_DIFFERS,
      ourAmountFen: 2_000n,
      theirAmountFen: 2_100n,
    });
    expect(outcome(missingTheirs)).toBe(ReconciliationOutcome.RECONCILIATION_OUTCOME_MISSING_THEIRS);
    expect(outcome("pay_paid_but_unknown_to_us")).toBe(ReconciliationOutcome.RECONCILIATION_OUTCOME_MISSING_OURS);
    expect(
      report.lines.slice(0, 3).every((l) => l.outcome !== ReconciliationOutcome.RECONCILIATION_OUTCOME_MATCHED),
    ).toBe(true);
    expect((await billing.client.getBalance({ subscriberId })).balanceFen).toBe(balanceBefore);

    expect(
      await rejection(ops.reconcilePayments({ gateway: Gateway.GATEWAY_ALIPAY, businessDate: "2026-02-30" })),
    ).toMatchObject({ reason: "BUSINESS_DATE_INVALID" });
    expect(await rejection(ops.reconcilePayments({ gateway: 0, businessDate: today }))).toMatchObject({
      reason: "GATEWAY_REQUIRED",
    });
  });
});
