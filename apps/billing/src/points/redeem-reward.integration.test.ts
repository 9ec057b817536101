import { status } from "@grpc/grpc-js";
import type { ServiceCallError } from "@omnihall/channel-client";
import { PaymentMethod } from "@omnihall/proto/omnihall/billing/v1/billing";
import {
  PointsServiceClient,
  RedemptionStatus,
  RewardKind,
  type RedeemRewardRequest,
} from "@omnihall/proto/omnihall/billing/v1/points";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { pointsUnderTest } from "./points-under-test.js";

const redeemOf = (subscriberId: string, rewardCode: string, quantity = 1): RedeemRewardRequest => ({
  requestId: `rdm-${randomUUID()}`,
  subscriberId,
  rewardCode,
  quantity,
  channel: Channel.CHANNEL_WEB_HALL,
  provinceCode: "",
});

const rejection = (call: Promise<unknown>) =>
  call.then(
    () => expect.fail("the call succeeded"),
    (e: unknown) => e as ServiceCallError,
  );

describe("RedeemReward", () => {
  it("turns a voucher into a balance credit once, even for 30 concurrent identical requests", async () => {
    const billing = await pointsUnderTest();
    const subscriberId = await billing.member(2_500n, 300n);
    const voucher = await billing.reward({ pointsCost: 1_000n, creditFen: 1_000n });
    const request = redeemOf(subscriberId, voucher.code, 2);

    const answers = await Promise.all(Array.from({ length: 30 }, () => billing.points.redeemReward(request)));
    for (const answer of answers) expect(answer).toEqual(answers[0]);
    const { redemption, payment } = answers[0]!;
    expect(redemption).toMatchObject({
      subscriberId,
      rewardCode: voucher.code,
      rewardKind: RewardKind.REWARD_KIND_BALANCE_CREDIT,
      quantity: 2,
      points: 2_000n,
      creditFen: 2_000n,
      status: RedemptionStatus.REDEMPTION_STATUS_COMPLETED,
      channel: Channel.CHANNEL_WEB_HALL,
      pointsBalanceAfter: 500n,
      paymentId: payment!.paymentId,
    });
    expect(payment).toMatchObject({
      amountFen: 2_000n,
      paymentMethod: PaymentMethod.PAYMENT_METHOD_POINTS,
      balanceAfterFen: 2_300n,
    });

    expect((await billing.points.getPointsBalance({ subscriberId })).points).toBe(500n);
    expect((await billing.client.getBalance({ subscriberId })).balanceFen).toBe(2_300n);
    const { payments } = await billing.client.listPayments({ subscriberId, pageSize: 0, pageToken: "" });
    expect(payments).toEqual([payment]);
    expect(await billing.db.redemption.count({ where: { subscriberId } })).toBe(1);
    expect(await billing.db.pointsTransaction.count({ where: { subscriberId, kind: "REDEEM" } })).toBe(1);
    expect(
      await billing.db.outboxMessage.count({
        where: { subject: { in: ["billing.points.redeemed", "billing.payment.completed"] } },
      }),
    ).toBe(2);

    // A later retry is answered from the record; the same key for something else is refused.
    expect(await billing.points.redeemReward(request)).toEqual(answers[0]);
    expect(await rejection(billing.points.redeemReward({ ...request, quantity: 1 }))).toMatchObject({
      code: status.ALREADY_EXISTS,
      reason: "REQUEST_ID_REUSED",
    });
  });

  it("gives exactly the stock to 20 concurrent redemptions of a gift with stock 5", async () => {
    const billing = await pointsUnderTest();
    const gift = await billing.reward({ kind: "MERCHANDISE", pointsCost: 100n, creditFen: 0n, stock: 5n });
    const members = await Promise.all(Array.from({ length: 20 }, () => billing.member(100n)));

    const results = await Promise.allSettled(members.map((m) => billing.points.redeemReward(redeemOf(m, gift.code))));
    const placed = results.filter((r) => r.status === "fulfilled");
    const refused = results.flatMap((r) => (r.status === "rejected" ? [r.reason as ServiceCallError] : []));
    expect(placed).toHaveLength(5);
    expect(refused).toHaveLength(15);
    for (const error of refused)
      expect(error).toMatchObject({ code: status.FAILED_PRECONDITION, reason: "REWARD_OUT_OF_STOCK" });
    for (const result of placed) {
      expect(result.value.redemption?.status).toBe(RedemptionStatus.REDEMPTION_STATUS_PLACED);
      expect(result.value.payment).toBeUndefined();
    }
    expect((await billing.db.reward.findUniqueOrThrow({ where: { code: gift.code } })).stock).toBe(0n);
    // Refused members kept their points.
    const balances = await billing.db.account.findMany({ where: { subscriberId: { in: members } } });
    expect(balances.filter((a) => a.pointsBalance === 0n)).toHaveLength(5);
    expect(balances.filter((a) => a.pointsBalance === 100n)).toHaveLength(15);
  });

  it("refuses what the points, the catalog or the province do not allow, spending nothing", async () => {
    const billing = await pointsUnderTest();
    const subscriberId = await billing.member(999n);
    const voucher = await billing.reward();
    const insufficient = await rejection(billing.points.redeemReward(redeemOf(subscriberId, voucher.code)));
    expect(insufficient).toMatchObject({
      code: status.FAILED_PRECONDITION,
      reason: "INSUFFICIENT_POINTS",
      metadata: { points: "999", needed: "1000" },
    });
    expect(insufficient.messages["zh-CN"]).toContain("积分不足");

    const sichuanOnly = await billing.reward({ pointsCost: 10n, provinceCodes: ["SC"] });
    const retired = await billing.reward({ pointsCost: 10n, active: false });
    for (const code of [sichuanOnly.code, retired.code]) {
      expect(await rejection(billing.points.redeemReward(redeemOf(subscriberId, code)))).toMatchObject({
        code: status.FAILED_PRECONDITION,
        reason: "REWARD_NOT_AVAILABLE",
      });
    }
    // The province is the subscriber's home as the customer service has it: naming another changes nothing.
    expect(
      await rejection(billing.points.redeemReward({ ...redeemOf(subscriberId, sichuanOnly.code), provinceCode: "SC" })),
    ).toMatchObject({ reason: "REWARD_NOT_AVAILABLE" });
    const sichuanese = await billing.member(100n, 0n, "SC");
    expect(await billing.points.redeemReward(redeemOf(sichuanese, sichuanOnly.code))).toMatchObject({
      redemption: { points: 10n, pointsBalanceAfter: 90n },
    });

    expect(await rejection(billing.points.redeemReward(redeemOf(subscriberId, "NO_SUCH_REWARD")))).toMatchObject({
      code: status.NOT_FOUND,
      reason: "REWARD_NOT_FOUND",
    });
    const stranger = redeemOf("sub_nobody", voucher.code);
    expect(await rejection(billing.points.redeemReward(stranger))).toMatchObject({ reason: "OUTSIDE_PARTY_SCOPE" });
    expect((await billing.points.getPointsBalance({ subscriberId })).points).toBe(999n);
  });

  it("rejects bad input with field reasons, never INTERNAL", async () => {
    const billing = await pointsUnderTest();
    const subscriberId = await billing.member(5_000n);
    const valid = redeemOf(subscriberId, (await billing.reward()).code);
    const cases: [Partial<RedeemRewardRequest>, string][] = [
      [{ requestId: "" }, "REQUEST_ID_REQUIRED"],
      [{ requestId: "x".repeat(201) }, "REQUEST_ID_REQUIRED"],
      [{ subscriberId: "13800138000" }, "SUBSCRIBER_ID_MALFORMED"],
      [{ rewardCode: " " }, "REWARD_CODE_REQUIRED"],
      [{ quantity: 0 }, "QUANTITY_INVALID"],
      [{ quantity: -3 }, "QUANTITY_INVALID"],
      [{ quantity: 11 }, "QUANTITY_INVALID"],
      [{ provinceCode: "guangdong" }, "PROVINCE_CODE_MALFORMED"],
    ];
    for (const [change, reason] of cases) {
      const error = await rejection(billing.points.redeemReward({ ...valid, ...change }));
      expect(error, reason).toMatchObject({ code: status.INVALID_ARGUMENT, reason });
      expect(error.messages.en, reason).not.toBe("");
    }
    // A hall's channel is its own: another one is refused, none is filled in.
    expect(await rejection(billing.points.redeemReward({ ...valid, channel: 99 as Channel }))).toMatchObject({
      code: status.PERMISSION_DENIED,
      reason: "CHANNEL_MISMATCH",
    });
    // TopUp cannot pose as a points credit.
    expect(
      await rejection(
        billing.platform.topUp({
          requestId: randomUUID(),
          subscriberId,
          amountFen: 100n,
          channel: Channel.CHANNEL_WEB_HALL,
          paymentMethod: PaymentMethod.PAYMENT_METHOD_POINTS,
        }),
      ),
    ).toMatchObject({ reason: "PAYMENT_METHOD_REQUIRED" });
    expect(await billing.db.redemption.count()).toBe(0);
  });
});

describe("merchandise redemptions", () => {
  it("move PLACED → SHIPPED → DELIVERED one step at a time, retries included", async () => {
    const billing = await pointsUnderTest();
    const subscriberId = await billing.member(4_500n);
    const gift = await billing.reward({ kind: "MERCHANDISE", creditFen: 0n, pointsCost: 4_500n, stock: 3n });
    const { redemption } = await billing.points.redeemReward(redeemOf(subscriberId, gift.code));
    const redemptionId = redemption!.redemptionId;
    // Delivery news comes from operations' back office (the platform), never from a hall.
    expect(
      await rejection(
        billing.points.updateRedemptionStatus({ redemptionId, status: RedemptionStatus.REDEMPTION_STATUS_SHIPPED }),
      ),
    ).toMatchObject({ code: status.PERMISSION_DENIED, reason: "CALLER_NOT_ALLOWED" });
    const backOffice = billing.clientAs(PointsServiceClient, "platform");
    const move = (to: RedemptionStatus) => backOffice.updateRedemptionStatus({ redemptionId, status: to });

    expect(await rejection(move(RedemptionStatus.REDEMPTION_STATUS_DELIVERED))).toMatchObject({
      code: status.FAILED_PRECONDITION,
      reason: "REDEMPTION_STATUS_TRANSITION_INVALID",
    });
    const [shipped, again] = await Promise.all([
      move(RedemptionStatus.REDEMPTION_STATUS_SHIPPED),
      move(RedemptionStatus.REDEMPTION_STATUS_SHIPPED),
    ]);
    expect(again).toEqual(shipped);
    expect(shipped.redemption?.status).toBe(RedemptionStatus.REDEMPTION_STATUS_SHIPPED);
    expect((await move(RedemptionStatus.REDEMPTION_STATUS_DELIVERED)).redemption?.status).toBe(
      RedemptionStatus.REDEMPTION_STATUS_DELIVERED,
    );
    expect(await rejection(move(RedemptionStatus.REDEMPTION_STATUS_SHIPPED))).toMatchObject({
      reason: "REDEMPTION_STATUS_TRANSITION_INVALID",
    });
    expect(await rejection(move(RedemptionStatus.REDEMPTION_STATUS_COMPLETED))).toMatchObject({
      code: status.INVALID_ARGUMENT,
      reason: "REDEMPTION_STATUS_INVALID",
    });
    expect(
      await rejection(
        backOffice.updateRedemptionStatus({
          redemptionId: "rdm_unknown",
          status: RedemptionStatus.REDEMPTION_STATUS_SHIPPED,
        }),
      ),
    ).toMatchObject({ code: status.NOT_FOUND, reason: "REDEMPTION_NOT_FOUND" });

    // A voucher is done at once: it has no delivery to track.
    const voucherSubscriber = await billing.member(1_000n);
    const voucher = await billing.points.redeemReward(redeemOf(voucherSubscriber, (await billing.reward()).code));
    expect(
      await rejection(
        backOffice.updateRedemptionStatus({
          redemptionId: voucher.redemption!.redemptionId,
          status: RedemptionStatus.REDEMPTION_STATUS_SHIPPED,
        }),
      ),
    ).toMatchObject({ reason: "REDEMPTION_STATUS_TRANSITION_INVALID" });
  });
});
