import { status } from "@grpc/grpc-js";
import { RewardKind } from "@omnihall/proto/omnihall/billing/v1/points";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { pointsUnderTest } from "./points-under-test.js";

async function collect<T>(fetch: (pageToken: string) => Promise<{ items: T[]; nextPageToken: string }>) {
  const pages: T[][] = [];
  let token = "";
  do {
    const page = await fetch(token);
    pages.push(page.items);
    token = page.nextPageToken;
  } while (token !== "");
  return pages;
}

describe("points lists", () => {
  it("page through transactions and redemptions newest first, each row once", async () => {
    const billing = await pointsUnderTest();
    const subscriberId = await billing.account(0n);
    for (let i = 0; i < 6; i += 1) await billing.grant(subscriberId, 100n);
    const gift = await billing.reward({ kind: "MERCHANDISE", creditFen: 0n, pointsCost: 50n, stock: 10n });
    const redemptionIds: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const { redemption } = await billing.points.redeemReward({
        requestId: randomUUID(),
        subscriberId,
        rewardCode: gift.code,
        quantity: 1,
        channel: Channel.CHANNEL_WEB_HALL,
        provinceCode: "HB",
      });
      redemptionIds.push(redemption!.redemptionId);
    }

    const transactionPages = await collect(async (pageToken) => {
      const page = await billing.points.listPointsTransactions({ subscriberId, pageSize: 4, pageToken });
      return { items: page.transactions, nextPageToken: page.nextPageToken };
    });
    expect(transactionPages.map((p) => p.length)).toEqual([4, 4, 3]);
    const balances = transactionPages.flat().map((t) => t.balanceAfter);
    expect(balances).toEqual([350n, 400n, 450n, 500n, 550n, 600n, 500n, 400n, 300n, 200n, 100n]);

    const redemptionPages = await collect(async (pageToken) => {
      const page = await billing.points.listRedemptions({ subscriberId, pageSize: 2, pageToken });
      return { items: page.redemptions, nextPageToken: page.nextPageToken };
    });
    expect(redemptionPages.flat().map((r) => r.redemptionId)).toEqual([...redemptionIds].reverse());

    const first = await billing.points.getRedemption({ subscriberId, redemptionId: redemptionIds[0]! });
    expect(first.redemption).toMatchObject({ rewardCode: gift.code, points: 50n, pointsBalanceAfter: 550n });
    const stranger = await billing.account(0n);
    await expect(
      billing.points.getRedemption({ subscriberId: stranger, redemptionId: redemptionIds[0]! }),
    ).rejects.toMatchObject({ code: status.NOT_FOUND, reason: "REDEMPTION_NOT_FOUND" });
  });

  it("list active rewards cheapest first, filtered by province and kind, with tokens bound to the filters", async () => {
    const billing = await pointsUnderTest();
    await billing.reward({ code: "A_VOUCHER_5", pointsCost: 500n, creditFen: 500n });
    await billing.reward({ code: "B_VOUCHER_10", pointsCost: 1_000n, creditFen: 1_000n });
    await billing.reward({
      code: "C_GIFT_GD",
      kind: "MERCHANDISE",
      creditFen: 0n,
      pointsCost: 1_000n,
      stock: 0n,
      provinceCodes: ["GD"],
    });
    await billing.reward({
      code: "D_GIFT_SC",
      kind: "MERCHANDISE",
      creditFen: 0n,
      pointsCost: 800n,
      stock: 7n,
      provinceCodes: ["SC"],
    });
    await billing.reward({ code: "E_RETIRED", pointsCost: 100n, active: false });

    const codes = async (filter: { provinceCode?: string; kind?: RewardKind }, pageSize: number) =>
      (
        await collect(async (pageToken) => {
          const page = await billing.points.listRewards({
            provinceCode: filter.provinceCode ?? "",
            kind: filter.kind ?? RewardKind.REWARD_KIND_UNSPECIFIED,
            pageSize,
            pageToken,
          });
          return { items: page.rewards, nextPageToken: page.nextPageToken };
        })
      ).map((page) => page.map((reward) => reward.code));

    expect(await codes({}, 1)).toEqual([["A_VOUCHER_5"], ["D_GIFT_SC"], ["B_VOUCHER_10"], ["C_GIFT_GD"]]);
    expect(await codes({ provinceCode: "GD" }, 2)).toEqual([["A_VOUCHER_5", "B_VOUCHER_10"], ["C_GIFT_GD"]]);
    expect(await codes({ kind: RewardKind.REWARD_KIND_MERCHANDISE }, 10)).toEqual([["D_GIFT_SC", "C_GIFT_GD"]]);

    const { rewards } = await billing.points.listRewards({
      provinceCode: "GD",
      kind: RewardKind.REWARD_KIND_MERCHANDISE,
      pageSize: 0,
      pageToken: "",
    });
    expect(rewards).toEqual([
      {
        code: "C_GIFT_GD",
        name: { zhCn: "10 元话费券", en: "¥10 balance voucher" },
        kind: RewardKind.REWARD_KIND_MERCHANDISE,
        pointsCost: 1_000n,
        creditFen: 0n,
        stock: 0n,
        provinceCodes: ["GD"],
        active: true,
      },
    ]);

    const page = await billing.points.listRewards({ provinceCode: "", kind: 0, pageSize: 1, pageToken: "" });
    await expect(
      billing.points.listRewards({ provinceCode: "GD", kind: 0, pageSize: 1, pageToken: page.nextPageToken }),
    ).rejects.toMatchObject({ code: status.INVALID_ARGUMENT, reason: "PAGE_TOKEN_INVALID" });
  });

  it("reject malformed ids, sizes, tokens and provinces", async () => {
    const billing = await pointsUnderTest();
    const subscriberId = await billing.account(0n);
    const calls: [Promise<unknown>, string][] = [
      [billing.points.getPointsBalance({ subscriberId: "x" }), "SUBSCRIBER_ID_MALFORMED"],
      [billing.points.listPointsTransactions({ subscriberId, pageSize: -1, pageToken: "" }), "PAGE_SIZE_INVALID"],
      [
        billing.points.listPointsTransactions({ subscriberId, pageSize: 0, pageToken: "garbage" }),
        "PAGE_TOKEN_INVALID",
      ],
      [billing.points.listRedemptions({ subscriberId: "sub_", pageSize: 0, pageToken: "" }), "SUBSCRIBER_ID_MALFORMED"],
      [
        billing.points.listRewards({ provinceCode: "gd", kind: 0, pageSize: 0, pageToken: "" }),
        "PROVINCE_CODE_MALFORMED",
      ],
      [billing.points.listRewards({ provinceCode: "", kind: 0, pageSize: 0, pageToken: "e30" }), "PAGE_TOKEN_INVALID"],
      [billing.points.getRedemption({ subscriberId, redemptionId: "pay_1" }), "REDEMPTION_ID_MALFORMED"],
    ];
    for (const [call, reason] of calls) {
      await expect(call, reason).rejects.toMatchObject({ code: status.INVALID_ARGUMENT, reason });
    }
    // A logged-in subscriber naming someone else learns nothing, not even whether they exist.
    await expect(billing.points.getPointsBalance({ subscriberId: "sub_nobody" })).rejects.toMatchObject({
      code: status.PERMISSION_DENIED,
      reason: "OUTSIDE_PARTY_SCOPE",
    });
  });
});
