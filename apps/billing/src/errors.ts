import { alreadyExists, failedPrecondition, invalidArgument, notFound, type DomainError } from "@omnihall/service-kit";
import { hasIdShape } from "@omnihall/ids";

/** Every error the billing service answers with, in one place: the reasons are the contract (billing.proto). */

export function fieldError(field: string, reason: string, zh: string, en: string): DomainError {
  const messages = { "zh-CN": zh, en };
  return invalidArgument(reason, messages, { fieldViolations: [{ field, reason, messages }] });
}

export const requestIdRequired = () =>
  fieldError(
    "request_id",
    "REQUEST_ID_REQUIRED",
    "缺少请求编号（request_id），无法保证重试安全。",
    "A request_id is required so that retries are safe.",
  );

export const requestIdReused = () =>
  alreadyExists("REQUEST_ID_REUSED", {
    "zh-CN": "该请求编号已用于另一笔不同的交易。",
    en: "This request_id was already used for a different transaction.",
  });

export function requireSubscriberId(subscriberId: string): void {
  if (!hasIdShape(subscriberId, "sub")) {
    throw fieldError(
      "subscriber_id",
      "SUBSCRIBER_ID_MALFORMED",
      "用户编号格式不正确。",
      "The subscriber id is malformed.",
    );
  }
}

export function requireRequestId(requestId: string): void {
  if (requestId.trim() === "" || requestId.length > 200) throw requestIdRequired();
}

export function requireAmount(amountFen: bigint, maxFen: bigint): void {
  if (amountFen <= 0n) {
    throw fieldError("amount_fen", "AMOUNT_NOT_POSITIVE", "金额必须大于零。", "The amount must be greater than zero.");
  }
  if (amountFen > maxFen) {
    const yuan = (Number(maxFen) / 100).toFixed(2);
    throw fieldError(
      "amount_fen",
      "AMOUNT_OVER_LIMIT",
      `单笔金额不能超过 ${yuan} 元。`,
      `A single amount may not exceed ¥${yuan}.`,
    );
  }
}

export const channelRequired = () =>
  fieldError("channel", "CHANNEL_REQUIRED", "请注明办理渠道。", "The channel is required.");

export const paymentMethodRequired = () =>
  fieldError("payment_method", "PAYMENT_METHOD_REQUIRED", "请注明支付方式。", "The payment method is required.");

export const orderIdRequired = () =>
  fieldError("order_id", "ORDER_ID_REQUIRED", "缺少订单编号。", "The order id is required.");

export const accountNotFound = () =>
  notFound("ACCOUNT_NOT_FOUND", { "zh-CN": "未找到该用户的账户。", en: "No account was found for this subscriber." });

export const insufficientBalance = (balanceFen: bigint, amountFen: bigint) =>
  failedPrecondition(
    "INSUFFICIENT_BALANCE",
    {
      "zh-CN": `余额不足：当前余额 ${(Number(balanceFen) / 100).toFixed(2)} 元，需支付 ${(Number(amountFen) / 100).toFixed(2)} 元，请先充值。`,
      en: `Insufficient balance: ¥${(Number(balanceFen) / 100).toFixed(2)} available, ¥${(Number(amountFen) / 100).toFixed(2)} needed. Please top up first.`,
    },
    { metadata: { balanceFen: String(balanceFen), amountFen: String(amountFen) } },
  );

export function requireChargeId(chargeId: string): void {
  if (!hasIdShape(chargeId, "chg")) {
    throw fieldError("charge_id", "CHARGE_ID_MALFORMED", "扣费编号格式不正确。", "The charge id is malformed.");
  }
}

export const chargeNotFound = () =>
  notFound("CHARGE_NOT_FOUND", { "zh-CN": "未找到该笔扣费。", en: "The charge was not found." });

export function requireBillId(billId: string): void {
  if (!hasIdShape(billId, "bill")) {
    throw fieldError("bill_id", "BILL_ID_MALFORMED", "账单编号格式不正确。", "The bill id is malformed.");
  }
}

export const billNotFound = () =>
  notFound("BILL_NOT_FOUND", { "zh-CN": "未找到该账单。", en: "The bill was not found." });
