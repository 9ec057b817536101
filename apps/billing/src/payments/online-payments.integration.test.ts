import { status } from "@grpc/grpc-js";
import type { ServiceCallError } from "@omnihall/channel-client";
import {
  PaymentMethod,
  PaymentPurpose,
  PaymentStatus,
  RefundStatus,
  type CreatePaymentRequest,
} from "@omnihall/proto/omnihall/billing/v1/billing";
import { randomUUID } from "node:crypto";
import { describe, expect, it, onTestFinished } from "vitest";
import { startBillingService } from "../index.js";
import { billingUnderTest } from "../testing/billing-under-test.js";

const paymentOf = (
  subscriberId: string,
  amountFen: bigint,
  paymentMethod = PaymentMethod.PAYMENT_METHOD_ALIPAY,
): CreatePaymentRequest => ({
  requestId: `web-hall:${randomUUID()}`,
  subscriberId,
  amountFen,
  purpose: PaymentPurpose.PAYMENT_PURPOSE_TOP_UP,
  orderId: "",
  paymentMethod,
  channel: 0,
  card: undefined,
  returnUrl: "http://127.0.0.1:8080/top-ups/done",
});

const rejection = (call: Promise<unknown>) =>
  call.then(
    () => expect.fail("the call succeeded"),
    (e: unknown) => e as ServiceCallError,
  );

describe("online payments", () => {
  it("credit the balance once when the gateway's signed notification arrives, even 100 concurrent duplicates", async () => {
    const billing = await billingUnderTest();
    const subscriberId = await billing.account(1_000n);
    const request = paymentOf(subscriberId, 5_000n);
    const { payment } = await billing.client.createPayment(request);
    expect(payment).toMatchObject({ status: PaymentStatus.PAYMENT_STATUS_PENDING, amountFen: 5_000n });
    expect(payment!.payUrl).toBe(`${billing.gateways.url}/pay/alipay/${payment!.paymentId}`);
    // A retry is answered with the same payment; the gateway knows one trade.
    expect((await billing.client.createPayment(request)).payment?.paymentId).toBe(payment!.paymentId);
    // The pay page a browser shows, with its button.
    const page = await (await fetch(payment!.payUrl)).text();
    expect(page).toContain("50.00");
    expect(page).toContain("<button");

    const answers = await billing.gateways.pay("alipay", payment!.paymentId, { copies: 100 });
    expect(answers).toHaveLength(100);
    expect(answers.every((a) => a.status === 200 && a.body === "success")).toBe(true);
    expect(answers.filter((a) => a.reason === "CREDITED")).toHaveLength(1);
    expect(answers.filter((a) => a.reason === "ALREADY_SUCCEEDED")).toHaveLength(99);

    expect((await billing.client.getBalance({ subscriberId })).balanceFen).toBe(6_000n);
    const { payment: paid } = await billing.client.getPayment({ subscriberId, paymentId: payment!.paymentId });
    expect(paid).toMatchObject({ status: PaymentStatus.PAYMENT_STATUS_SUCCEEDED, balanceAfterFen: 6_000n, payUrl: "" });
    expect(await billing.db.outboxMessage.count({ where: { subject: "billing.payment.succeeded" } })).toBe(1);
  });

  it("refuse forged and wrong-amount notifications, ignore stale out-of-order ones, for each gateway", async () => {
    const billing = await billingUnderTest();
    const subscriberId = await billing.account(0n);
    const cases = [
      ["wechat", PaymentMethod.PAYMENT_METHOD_WECHAT_PAY],
      ["unionpay", PaymentMethod.PAYMENT_METHOD_UNIONPAY],
      ["alipay", PaymentMethod.PAYMENT_METHOD_ALIPAY],
    ] as const;
    let expected = 0n;
    for (const [gateway, method] of cases) {
      const { payment } = await billing.client.createPayment(paymentOf(subscriberId, 2_000n, method));
      const id = payment!.paymentId;
      await billing.gateways.pay(gateway, id, { suppress: true }); // paid at the gateway, nobody told yet
      const forged = await billing.gateways.notify(gateway, id, { wrongSignature: true, retries: 0 });
      expect(
        forged.map((a) => a.reason),
        gateway,
      ).toEqual(["NOTIFICATION_SIGNATURE_INVALID"]);
      expect(forged[0]!.status, gateway).toBeGreaterThanOrEqual(400);
      const wrongAmount = await billing.gateways.notify(gateway, id, { wrongAmountFen: 1n, retries: 0 });
      expect(
        wrongAmount.map((a) => a.reason),
        gateway,
      ).toEqual(["AMOUNT_MISMATCH"]);
      expect((await billing.client.getBalance({ subscriberId })).balanceFen, gateway).toBe(expected);

      const good = await billing.gateways.notify(gateway, id, { staleAfter: true, copies: 3 });
      expected += 2_000n;
      expect(
        good.filter((a) => a.reason === "CREDITED"),
        gateway,
      ).toHaveLength(1);
      expect(good.at(-1)?.reason, gateway).toBe("NOTIFICATION_NOT_PAID");
      const { payment: after } = await billing.client.getPayment({ subscriberId, paymentId: id });
      expect(after?.status, gateway).toBe(PaymentStatus.PAYMENT_STATUS_SUCCEEDED);
      expect((await billing.client.getBalance({ subscriberId })).balanceFen, gateway).toBe(expected);
    }

    // A notification for a payment billing never made.
    const foreign = await fetch(`${billing.service.paymentNotifyUrl}/payments/notify/alipay`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: "out_trade_no=pay_unknown&total_amount=1.00&trade_status=TRADE_SUCCESS&sign=AAAA",
    });
    expect(foreign.status).toBe(400);
    expect(foreign.headers.get("x-omnihall-reason")).toBe("NOTIFICATION_SIGNATURE_INVALID");
  });

  it("ask the gateway when a notification is late, and expire unpaid payments after closing their trade", async () => {
    const billing = await billingUnderTest({
      PAYMENT_QUERY_AFTER_SECONDS: "1",
      PAYMENT_EXPIRY_SECONDS: "3",
      PAYMENT_SWEEP_MS: "100",
    });
    const subscriberId = await billing.account(0n);
    const late = (await billing.client.createPayment(paymentOf(subscriberId, 3_000n))).payment!;
    const unpaid = (
      await billing.client.createPayment(paymentOf(subscriberId, 700n, PaymentMethod.PAYMENT_METHOD_WECHAT_PAY))
    ).payment!;
    await billing.gateways.pay("alipay", late.paymentId, { suppress: true });

    const statusOf = async (paymentId: string) =>
      (await billing.client.getPayment({ subscriberId, paymentId })).payment?.status;
    await expect.poll(() => statusOf(late.paymentId), { timeout: 20_000 }).toBe(PaymentStatus.PAYMENT_STATUS_SUCCEEDED);
    await expect.poll(() => statusOf(unpaid.paymentId), { timeout: 20_000 }).toBe(PaymentStatus.PAYMENT_STATUS_EXPIRED);
    expect(billing.gateways.book.get("wechat", unpaid.paymentId)?.status).toBe("CLOSED");
    expect((await billing.client.getBalance({ subscriberId })).balanceFen).toBe(3_000n);

    // Paid at the gateway after all (its close lost a race): acknowledged, nothing credited, left to reconciliation.
    const trade = billing.gateways.book.get("wechat", unpaid.paymentId)!;
    trade.status = "PAID";
    trade.paidAt = new Date();
    const answers = await billing.gateways.notify("wechat", unpaid.paymentId);
    expect(answers.map((a) => a.reason)).toEqual(["PAYMENT_NOT_PENDING"]);
    expect((await billing.client.getBalance({ subscriberId })).balanceFen).toBe(3_000n);
    expect(await statusOf(unpaid.paymentId)).toBe(PaymentStatus.PAYMENT_STATUS_EXPIRED);
  });

  it(
    "with two instances sweeping, ask the gateway about each due payment and pending refund once, credit, expire and refund each once",
    { timeout: 60_000 },
    async () => {
      const billing = await billingUnderTest({
        PAYMENT_QUERY_AFTER_SECONDS: "1",
        PAYMENT_EXPIRY_SECONDS: "3",
        PAYMENT_SWEEP_MS: "50",
      });
      // A second pod: its sweep sees the same due payments, and must leave the ones the first has claimed.
      const second = await startBillingService({ config: billing.config, bus: billing.bus, logger: billing.logger });
      onTestFinished(() => second.stop());
      const subscriberId = await billing.account(0n);
      const create = (amountFen: bigint) =>
        billing.client.createPayment(paymentOf(subscriberId, amountFen)).then((answer) => answer.payment!.paymentId);
      const late = await Promise.all(Array.from({ length: 12 }, (_, i) => create(BigInt(100 * (i + 1)))));
      const unpaid = await Promise.all(Array.from({ length: 6 }, () => create(50n)));
      for (const paymentId of late) await billing.gateways.pay("alipay", paymentId, { suppress: true });

      const settled = () =>
        billing.db.payment.count({
          where: { id: { in: [...late, ...unpaid] }, status: { in: ["SUCCEEDED", "EXPIRED"] } },
        });
      await expect.poll(settled, { timeout: 20_000, interval: 50 }).toBe(late.length + unpaid.length);
      expect(await billing.db.payment.count({ where: { id: { in: late }, status: "SUCCEEDED" } })).toBe(late.length);
      // 100 + 200 + … + 1,200 fen, each once.
      expect((await billing.client.getBalance({ subscriberId })).balanceFen).toBe(7_800n);
      expect(await billing.db.outboxMessage.count({ where: { subject: "billing.payment.succeeded" } })).toBe(
        late.length,
      );
      for (const paymentId of unpaid) expect(billing.gateways.book.get("alipay", paymentId)?.status).toBe("CLOSED");

      // The gateway's own count of the calls about each trade (its HTTP endpoint, as an operator would read it).
      // Billing records one attempt per check that found the trade still waiting, and the check that found it paid
      // (late) or closed it (unpaid) ends the rows: so one query per check is attempts + 1. Without the claim both
      // sweeps ask about nearly every due payment, and both close each expired one.
      const calls = (await (await fetch(`${billing.gateways.url}/alipay/calls`)).json()) as Record<
        string,
        { query: number; close: number; refund: number }
      >;
      const rows = await billing.db.payment.findMany({ where: { id: { in: [...late, ...unpaid] } } });
      const asked = rows.map((row) => ({ id: row.id, queries: calls[row.id]?.query, closes: calls[row.id]?.close }));
      const checked = rows.map((row) => ({
        id: row.id,
        queries: row.checkAttempts + 1,
        closes: unpaid.includes(row.id) ? 1 : 0,
      }));
      expect(asked).toEqual(checked);

      // Refunds the gateway did not answer (down for refunds): left PENDING for the sweeps, the money held back.
      billing.gateways.outage("alipay", "refund", true);
      const refunds = await Promise.all(
        late.map((paymentId) =>
          billing.support
            .refundPayment({ requestId: randomUUID(), subscriberId, paymentId, amountFen: 0n, reason: "退款" })
            .then((answer) => answer.refund!),
        ),
      );
      expect(refunds.map((refund) => refund.status)).toEqual(late.map(() => RefundStatus.REFUND_STATUS_PENDING));
      billing.gateways.outage("alipay", "refund", false);
      // As if a claim's lease had passed since: each refund is due for both sweeps at once.
      await billing.db.$executeRaw`
        UPDATE payment_refund SET updated_at = now() - interval '1 hour'
        WHERE id = ANY(${refunds.map((refund) => refund.refundId)})`;
      const refunded = () =>
        billing.db.paymentRefund.count({ where: { paymentId: { in: late }, status: "SUCCEEDED" } });
      await expect.poll(refunded, { timeout: 20_000, interval: 50 }).toBe(late.length);
      expect((await billing.client.getBalance({ subscriberId })).balanceFen).toBe(0n);
      // The refund call RefundPayment made (unanswered), then one from one sweep: not one from each.
      const refundCalls = (await (await fetch(`${billing.gateways.url}/alipay/calls`)).json()) as typeof calls;
      expect(late.map((paymentId) => refundCalls[paymentId]?.refund)).toEqual(late.map(() => 2));
      for (const paymentId of late) expect(billing.gateways.book.get("alipay", paymentId)?.refunds).toHaveLength(1);
      expect(await billing.db.outboxMessage.count({ where: { subject: "billing.payment.refunded" } })).toBe(
        late.length,
      );
    },
  );

  it("cancel an unpaid payment by closing its trade, and refuse bad requests with stable reasons", async () => {
    const billing = await billingUnderTest();
    const subscriberId = await billing.account(0n);
    const { payment } = await billing.client.createPayment(paymentOf(subscriberId, 800n));
    const cancel = { requestId: randomUUID(), subscriberId, paymentId: payment!.paymentId };
    expect((await billing.client.cancelPayment(cancel)).payment?.status).toBe(PaymentStatus.PAYMENT_STATUS_CANCELLED);
    expect((await billing.client.cancelPayment(cancel)).payment?.status).toBe(PaymentStatus.PAYMENT_STATUS_CANCELLED);
    expect(billing.gateways.book.get("alipay", payment!.paymentId)?.status).toBe("CLOSED");

    const cases: [Partial<CreatePaymentRequest>, string][] = [
      [{ requestId: "" }, "REQUEST_ID_REQUIRED"],
      [{ amountFen: 0n }, "AMOUNT_NOT_POSITIVE"],
      [{ amountFen: 500_001n }, "AMOUNT_OVER_LIMIT"],
      [{ purpose: PaymentPurpose.PAYMENT_PURPOSE_UNSPECIFIED }, "PAYMENT_PURPOSE_REQUIRED"],
      [{ purpose: PaymentPurpose.PAYMENT_PURPOSE_ORDER }, "ORDER_ID_REQUIRED"],
      [{ paymentMethod: PaymentMethod.PAYMENT_METHOD_UNSPECIFIED }, "PAYMENT_METHOD_REQUIRED"],
      [{ paymentMethod: PaymentMethod.PAYMENT_METHOD_CASH }, "PAYMENT_METHOD_NOT_ALLOWED"],
      [{ paymentMethod: PaymentMethod.PAYMENT_METHOD_BANK_CARD }, "PAYMENT_METHOD_NOT_ALLOWED"],
    ];
    for (const [change, reason] of cases) {
      const error = await rejection(billing.client.createPayment({ ...paymentOf(subscriberId, 100n), ...change }));
      expect(error.reason, reason).toBe(reason);
      expect(error.messages.en, reason).not.toBe("");
    }
    const first = paymentOf(subscriberId, 100n);
    await billing.client.createPayment(first);
    expect(await rejection(billing.client.createPayment({ ...first, amountFen: 200n }))).toMatchObject({
      code: status.ALREADY_EXISTS,
      reason: "REQUEST_ID_REUSED",
    });
    expect(await rejection(billing.client.getPayment({ subscriberId, paymentId: "pay_unknown" }))).toMatchObject({
      code: status.NOT_FOUND,
      reason: "PAYMENT_NOT_FOUND",
    });
    expect(await rejection(billing.client.getPayment({ subscriberId, paymentId: "chg_1" }))).toMatchObject({
      reason: "PAYMENT_ID_MALFORMED",
    });
    expect((await billing.client.getBalance({ subscriberId })).balanceFen).toBe(0n);
  });
});
