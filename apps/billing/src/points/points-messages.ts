import {
  PointsTransactionKind,
  RedemptionStatus,
  RewardKind,
  type PointsTransaction,
  type Redemption,
  type Reward,
} from "@omnihall/proto/omnihall/billing/v1/points";
import { channelOf } from "../enum-names.js";
import type {
  PointsTransaction as PointsTransactionRow,
  Redemption as RedemptionRow,
  Reward as RewardRow,
} from "../generated/prisma/client.js";

/** Database enums are the proto names without their prefix. */
export const rewardKindOf = (name: RewardRow["kind"]): RewardKind => RewardKind[`REWARD_KIND_${name}`];

export const redemptionStatusOf = (name: RedemptionRow["status"]): RedemptionStatus =>
  RedemptionStatus[`REDEMPTION_STATUS_${name}`];

export function pointsTransactionMessage(row: PointsTransactionRow): PointsTransaction {
  return {
    transactionId: row.id,
    subscriberId: row.subscriberId,
    kind: PointsTransactionKind[`POINTS_TRANSACTION_KIND_${row.kind}`],
    points: row.points,
    balanceAfter: row.balanceAfter,
    description: { zhCn: row.descriptionZh, en: row.descriptionEn },
    chargeId: row.chargeId ?? "",
    redemptionId: row.redemptionId ?? "",
    createTime: row.createdAt,
  };
}

export function rewardMessage(row: RewardRow): Reward {
  return {
    code: row.code,
    name: { zhCn: row.nameZh, en: row.nameEn },
    kind: rewardKindOf(row.kind),
    pointsCost: row.pointsCost,
    creditFen: row.creditFen,
    stock: row.stock ?? undefined,
    provinceCodes: row.provinceCodes,
    active: row.active,
  };
}

export function redemptionMessage(row: RedemptionRow): Redemption {
  return {
    redemptionId: row.id,
    subscriberId: row.subscriberId,
    rewardCode: row.rewardCode,
    rewardName: { zhCn: row.rewardNameZh, en: row.rewardNameEn },
    rewardKind: rewardKindOf(row.rewardKind),
    quantity: row.quantity,
    points: row.points,
    creditFen: row.creditFen,
    paymentId: row.paymentId ?? "",
    status: redemptionStatusOf(row.status),
    channel: channelOf(row.channel),
    pointsBalanceAfter: row.pointsBalanceAfter,
    createTime: row.createdAt,
    updateTime: row.updatedAt,
  };
}
