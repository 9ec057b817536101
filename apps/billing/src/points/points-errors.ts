import { failedPrecondition, notFound } from "@omnihall/service-kit";
import { hasIdShape } from "@omnihall/ids";
import { fieldError } from "../errors.js";

/** The errors only PointsService answers with (points.proto); the shared ones (ids, accounts) are in ../errors.ts. */

export const MAX_REDEEM_QUANTITY = 10;

export function requireRewardCode(code: string): void {
  if (code.trim() === "" || code.length > 64) {
    throw fieldError("reward_code", "REWARD_CODE_REQUIRED", "请选择要兑换的礼品。", "A reward code is required.");
  }
}

export function requireQuantity(quantity: number): void {
  if (!Number.isInteger(quantity) || quantity < 1 || quantity > MAX_REDEEM_QUANTITY) {
    throw fieldError(
      "quantity",
      "QUANTITY_INVALID",
      `兑换数量须为 1 至 ${MAX_REDEEM_QUANTITY}。`,
      `The quantity must be between 1 and ${MAX_REDEEM_QUANTITY}.`,
    );
  }
}

/** Empty is allowed (no province filter); anything else must be a GB/T 2260 two-letter code such as "GD". */
export function requireProvinceCodeShape(provinceCode: string): void {
  if (provinceCode !== "" && !/^[A-Z]{2}$/.test(provinceCode)) {
    throw fieldError(
      "province_code",
      "PROVINCE_CODE_MALFORMED",
      "省份编码格式不正确（应为两位大写字母，如 GD）。",
      'The province code is malformed (two capital letters, e.g. "GD").',
    );
  }
}

export function requireRedemptionId(redemptionId: string): void {
  if (!hasIdShape(redemptionId, "rdm")) {
    throw fieldError(
      "redemption_id",
      "REDEMPTION_ID_MALFORMED",
      "兑换记录编号格式不正确。",
      "The redemption id is malformed.",
    );
  }
}

export const redemptionStatusInvalid = () =>
  fieldError(
    "status",
    "REDEMPTION_STATUS_INVALID",
    "只能将兑换状态改为“已发货”或“已签收”。",
    "The status can only be set to SHIPPED or DELIVERED.",
  );

export const rewardNotFound = () =>
  notFound("REWARD_NOT_FOUND", { "zh-CN": "未找到该积分礼品。", en: "The reward was not found." });

export const rewardNotAvailable = () =>
  failedPrecondition("REWARD_NOT_AVAILABLE", {
    "zh-CN": "该礼品已下架或在您所在省份不可兑换。",
    en: "This reward is no longer offered, or not offered in your province.",
  });

export const rewardOutOfStock = (stock: bigint) =>
  failedPrecondition(
    "REWARD_OUT_OF_STOCK",
    {
      "zh-CN": stock > 0n ? `库存不足，仅剩 ${stock} 件。` : "该礼品已兑完。",
      en: stock > 0n ? `Not enough stock: only ${stock} left.` : "This reward is out of stock.",
    },
    { metadata: { stock: String(stock) } },
  );

export const insufficientPoints = (points: bigint, needed: bigint) =>
  failedPrecondition(
    "INSUFFICIENT_POINTS",
    {
      "zh-CN": `积分不足：当前可用 ${points} 分，需要 ${needed} 分。`,
      en: `Not enough points: ${points} available, ${needed} needed.`,
    },
    { metadata: { points: String(points), needed: String(needed) } },
  );

export const redemptionNotFound = () =>
  notFound("REDEMPTION_NOT_FOUND", { "zh-CN": "未找到该兑换记录。", en: "The redemption was not found." });

export const redemptionStatusTransitionInvalid = (from: string, to: string) =>
  failedPrecondition(
    "REDEMPTION_STATUS_TRANSITION_INVALID",
    {
      "zh-CN": `兑换状态不能从 ${from} 改为 ${to}。`,
      en: `A redemption cannot move from ${from} to ${to}.`,
    },
    { metadata: { from, to } },
  );
