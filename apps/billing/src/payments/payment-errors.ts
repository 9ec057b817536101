import { hasIdShape } from "@omnihall/ids";
import { failedPrecondition, notFound, unavailable } from "@omnihall/service-kit";
import { fieldError } from "../errors.js";

/** The payment reasons of billing.proto, worded once. */

export function requirePaymentId(paymentId: string): void {
  if (!hasIdShape(paymentId, "pay")) {
    throw fieldError("payment_id", "PAYMENT_ID_MALFORMED", "支付单号格式不正确。", "The payment id is malformed.");
  }
}

export const paymentNotFound = () =>
  notFound("PAYMENT_NOT_FOUND", { "zh-CN": "未找到该支付单。", en: "The payment was not found." });

export const purposeRequired = () =>
  fieldError("purpose", "PAYMENT_PURPOSE_REQUIRED", "请注明支付用途（充值或订单）。", "Say what the payment is for.");

export const cardRequired = () =>
  fieldError("card", "CARD_REQUIRED", "请先刷卡或插卡。", "Present the bank card first.");

export const gatewayUnavailable = () =>
  unavailable("GATEWAY_UNAVAILABLE", {
    "zh-CN": "支付渠道暂时无法连接，未发生扣款，请稍后重试。",
    en: "The payment provider cannot be reached; nothing was charged. Please try again.",
  });

export const notCancellable = (status: string) =>
  failedPrecondition(
    "PAYMENT_NOT_CANCELLABLE",
    { "zh-CN": "该支付单已支付或已结束，不能取消。", en: "This payment is paid or finished and cannot be cancelled." },
    { metadata: { status } },
  );

export const notRefundable = (status: string) =>
  failedPrecondition(
    "PAYMENT_NOT_REFUNDABLE",
    { "zh-CN": "该支付单未成功支付，无法退款。", en: "Only a succeeded payment can be refunded." },
    { metadata: { status } },
  );

export const refundExceedsPayment = (refundableFen: bigint) =>
  failedPrecondition(
    "REFUND_EXCEEDS_PAYMENT",
    {
      "zh-CN": `退款金额超过可退金额（最多 ${(Number(refundableFen) / 100).toFixed(2)} 元）。`,
      en: `The refund exceeds what can still be refunded (at most ¥${(Number(refundableFen) / 100).toFixed(2)}).`,
    },
    { metadata: { refundableFen: String(refundableFen) } },
  );

export const refundDeclined = (code: string) =>
  failedPrecondition(
    "REFUND_DECLINED",
    {
      "zh-CN": "支付渠道拒绝了退款，余额已退回。",
      en: "The payment provider refused the refund; the balance was restored.",
    },
    { metadata: { providerCode: code } },
  );

export const cashSessionClosed = () =>
  failedPrecondition("CASH_SESSION_CLOSED", {
    "zh-CN": "该现金交易已结束，请重新开始。",
    en: "This cash session is closed; start a new one.",
  });

export const notCash = () =>
  failedPrecondition("PAYMENT_NOT_CASH", {
    "zh-CN": "该支付单不是现金交易。",
    en: "This payment is not a cash session.",
  });
