import { status } from "@grpc/grpc-js";
import { ServiceCallError } from "@omnihall/channel-client";
import { ChargeStatus, type CreateChargeRequest } from "@omnihall/proto/omnihall/billing/v1/billing";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { billingUnderTest } from "../testing/billing-under-test.js";

const chargeOf = (
  subscriberId: string,
  amountFen: bigint,
  orderId = `ord_${randomUUID().slice(0, 8)}`,
): CreateChargeRequest => ({
  requestId: `${orderId}:charge`,
  subscriberId,
  orderId,
  amountFen,
  description: { zhCn: "10GB 流量包", en: "10 GB data pack" },
  channel: Channel.CHANNEL_SMS_HALL,
});

const rejection = (call: Promise<unknown>) =>
  call.then(
    () => expect.fail("the call succeeded"),
    (e: unknown) => e as ServiceCallError,
  );

describe("charges", () => {
  it("debit the balance once per request_id and refund once per charge", async () => {
    const billing = await billingUnderTest();
    const subscriberId = await billing.account(3_000n);
    const request = chargeOf(subscriberId, 2_000n);

    const [first, retry] = await Promise.all([
      billing.orders.createCharge(request),
      billing.orders.createCharge(request),
    ]);
    expect(retry).toEqual(first);
    expect(first.balanceAfterFen).toBe(1_000n);
    expect(first.charge).toMatchObject({
      orderId: request.orderId,
      amountFen: 2_000n,
      status: ChargeStatus.CHARGE_STATUS_COMPLETED,
    });

    const refundRequest = { requestId: `${request.orderId}:refund`, chargeId: first.charge!.chargeId };
    const refunds = await Promise.all([
      billing.orders.refundCharge(refundRequest),
      billing.orders.refundCharge({ ...refundRequest, requestId: "another" }),
    ]);
    for (const refund of refunds) {
      expect(refund.charge?.status).toBe(ChargeStatus.CHARGE_STATUS_REFUNDED);
      expect(refund.balanceAfterFen).toBe(3_000n);
    }
    expect((await billing.client.getBalance({ subscriberId })).balanceFen).toBe(3_000n);

    const listed = await billing.client.listCharges({
      subscriberId,
      orderId: request.orderId,
      pageSize: 0,
      pageToken: "",
    });
    expect(listed.charges.map((c) => c.chargeId)).toEqual([first.charge!.chargeId]);
  });

  it("never take the balance below zero", async () => {
    const billing = await billingUnderTest();
    const subscriberId = await billing.account(1_500n);
    const error = await rejection(billing.orders.createCharge(chargeOf(subscriberId, 2_000n)));
    expect(error).toMatchObject({
      code: status.FAILED_PRECONDITION,
      reason: "INSUFFICIENT_BALANCE",
      metadata: { balanceFen: "1500" },
    });
    expect(error.messages["zh-CN"]).toContain("余额不足");

    // Ten concurrent orders of ¥5 against ¥15: exactly three succeed.
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => billing.orders.createCharge(chargeOf(subscriberId, 500n))),
    );
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(3);
    expect((await billing.client.getBalance({ subscriberId })).balanceFen).toBe(0n);
  });

  it("refuse unknown charges and malformed ids", async () => {
    const billing = await billingUnderTest();
    expect(await rejection(billing.orders.refundCharge({ requestId: "r1", chargeId: "chg_unknown" }))).toMatchObject({
      code: status.NOT_FOUND,
      reason: "CHARGE_NOT_FOUND",
    });
    expect(await rejection(billing.orders.refundCharge({ requestId: "r1", chargeId: "pay_1" }))).toMatchObject({
      reason: "CHARGE_ID_MALFORMED",
    });
    const subscriberId = await billing.account(100n);
    expect(
      await rejection(billing.orders.createCharge({ ...chargeOf(subscriberId, 100n), orderId: "" })),
    ).toMatchObject({ reason: "ORDER_ID_REQUIRED" });
  });
});
