import { status } from "@grpc/grpc-js";
import { consume } from "@omnihall/bus";
import { ServiceCallError } from "@omnihall/channel-client";
import { PaymentMethod, type TopUpRequest } from "@omnihall/proto/omnihall/billing/v1/billing";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { createLogger } from "@omnihall/service-kit";
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { PaymentCompleted } from "../events.js";
import { billingUnderTest } from "../testing/billing-under-test.js";

const topUpOf = (subscriberId: string, amountFen: bigint, requestId: string = randomUUID()): TopUpRequest => ({
  requestId,
  subscriberId,
  amountFen,
  channel: Channel.CHANNEL_WEB_HALL,
  paymentMethod: PaymentMethod.PAYMENT_METHOD_ALIPAY,
});

async function failure(call: Promise<unknown>): Promise<ServiceCallError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(ServiceCallError);
  return error as ServiceCallError;
}

describe("TopUp", () => {
  it("credits the balance, records the payment and publishes billing.payment.completed once", async () => {
    const billing = await billingUnderTest();
    const subscriberId = await billing.account(1_000n);
    const received: string[] = [];
    const consumer = await consume(billing.bus, {
      durable: `billing-test--${randomUUID().slice(0, 8)}`,
      events: [PaymentCompleted],
      db: billing.db,
      logger: createLogger("consumer", { level: "silent" }),
      deliverFrom: "new",
      handler: async ({ message }) => {
        if (message.payment?.subscriberId === subscriberId) received.push(message.payment.paymentId);
      },
    });

    const { payment } = await billing.platform.topUp(topUpOf(subscriberId, 5_000n));
    expect(payment).toMatchObject({ subscriberId, amountFen: 5_000n, balanceAfterFen: 6_000n });
    expect((await billing.client.getBalance({ subscriberId })).balanceFen).toBe(6_000n);
    const { payments } = await billing.client.listPayments({ subscriberId, pageSize: 0, pageToken: "" });
    expect(payments.map((p) => p.paymentId)).toEqual([payment!.paymentId]);

    await expect.poll(() => received, { timeout: 10_000 }).toEqual([payment!.paymentId]);
    await consumer.stop();
  });

  it("50 concurrent top-ups with one request_id make one payment, one credit and 50 identical answers", async () => {
    const billing = await billingUnderTest();
    const subscriberId = await billing.account(0n);
    const request = topUpOf(subscriberId, 10_000n);
    const answers = await Promise.all(Array.from({ length: 50 }, () => billing.platform.topUp(request)));

    expect(
      new Set(answers.map((a) => JSON.stringify(a, (_k, v: unknown) => (typeof v === "bigint" ? String(v) : v)))).size,
    ).toBe(1);
    expect((await billing.client.getBalance({ subscriberId })).balanceFen).toBe(10_000n);
    expect(await billing.db.payment.count({ where: { subscriberId } })).toBe(1);
  });

  it("refuses the same request_id with other parameters", async () => {
    const billing = await billingUnderTest();
    const subscriberId = await billing.account(0n);
    const request = topUpOf(subscriberId, 1_000n);
    await billing.platform.topUp(request);
    const error = await failure(billing.platform.topUp({ ...request, amountFen: 2_000n }));
    expect(error).toMatchObject({ code: status.ALREADY_EXISTS, reason: "REQUEST_ID_REUSED" });
    expect((await billing.client.getBalance({ subscriberId })).balanceFen).toBe(1_000n);
  });

  it.each([
    ["zero", 0n, "AMOUNT_NOT_POSITIVE"],
    ["negative", -100n, "AMOUNT_NOT_POSITIVE"],
    ["over the limit", 500_001n, "AMOUNT_OVER_LIMIT"],
  ])("refuses a %s amount with a localized reason", async (_label, amountFen, reason) => {
    const billing = await billingUnderTest();
    const subscriberId = await billing.account(0n);
    const error = await failure(billing.platform.topUp(topUpOf(subscriberId, amountFen)));
    expect(error).toMatchObject({ code: status.INVALID_ARGUMENT, reason });
    expect(error.messages["zh-CN"]).toMatch(/金额/);
    expect(error.messages.en).toMatch(/amount/i);
    expect(error.fieldViolations[0]?.field).toBe("amount_fen");
  });

  it("refuses unknown, foreign and malformed subscribers, missing request_id or method, and methods the channel may not take", async () => {
    const billing = await billingUnderTest();
    const subscriberId = await billing.account(0n);
    // Halls take money through payments now: TopUp is the platform's own tool.
    expect(await failure(billing.client.topUp(topUpOf(subscriberId, 100n)))).toMatchObject({
      code: status.PERMISSION_DENIED,
      reason: "CALLER_NOT_ALLOWED",
    });
    const { platform } = billing;
    expect(await failure(platform.topUp(topUpOf("sub_nobody", 100n)))).toMatchObject({
      code: status.NOT_FOUND,
      reason: "ACCOUNT_NOT_FOUND",
    });
    expect(await failure(billing.platform.topUp(topUpOf("13800138000", 100n)))).toMatchObject({
      reason: "SUBSCRIBER_ID_MALFORMED",
    });
    expect(await failure(billing.platform.topUp(topUpOf(subscriberId, 100n, "")))).toMatchObject({
      reason: "REQUEST_ID_REQUIRED",
    });
    expect(
      // A hall's own channel is filled in for it; a caller without one (the platform) must name it.
      await failure(platform.topUp({ ...topUpOf(subscriberId, 100n), channel: Channel.CHANNEL_UNSPECIFIED })),
    ).toMatchObject({ reason: "CHANNEL_REQUIRED" });
    expect(
      await failure(
        billing.platform.topUp({
          ...topUpOf(subscriberId, 100n),
          paymentMethod: PaymentMethod.PAYMENT_METHOD_UNSPECIFIED,
        }),
      ),
    ).toMatchObject({ reason: "PAYMENT_METHOD_REQUIRED" });
    // Billing, not the hall, decides which methods a channel may take: no cash through a web page.
    expect(
      await failure(
        billing.platform.topUp({ ...topUpOf(subscriberId, 100n), paymentMethod: PaymentMethod.PAYMENT_METHOD_CASH }),
      ),
    ).toMatchObject({ code: status.FAILED_PRECONDITION, reason: "PAYMENT_METHOD_NOT_ALLOWED" });
    expect((await billing.client.getBalance({ subscriberId })).balanceFen).toBe(0n);
  });
});
