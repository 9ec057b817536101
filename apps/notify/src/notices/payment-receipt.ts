import { PaymentMethod, type Payment } from "@omnihall/proto/omnihall/billing/v1/billing";
import type { Language } from "../templates/catalog.js";
import { formatDateTime, formatFen } from "../templates/format.js";
import type { Notice } from "./notice.js";

const METHOD_NAMES: Partial<Record<PaymentMethod, Record<Language, string>>> = {
  [PaymentMethod.PAYMENT_METHOD_CASH]: { "zh-CN": "现金", en: "cash" },
  [PaymentMethod.PAYMENT_METHOD_BANK_CARD]: { "zh-CN": "银行卡", en: "bank card" },
};

/**
 * The receipt of a payment a field agent took in person: the subscriber handed over cash or a card to someone at
 * the door, so what was taken, when and by whom reaches their own phone. Payments the subscriber made themselves
 * (web, SMS, kiosk, which prints one) call for none. One per payment, however often its event arrives.
 */
export function paymentReceiptNotice(payment: Payment, language: Language, timeZone: string): Notice | undefined {
  const taker = payment.takenBy;
  if (!taker?.agentId) return undefined;
  const at = payment.successTime ?? payment.updateTime ?? payment.createTime;
  const method = METHOD_NAMES[payment.paymentMethod]?.[language] ?? (language === "zh-CN" ? "其他方式" : "other");
  return {
    templateCode: "PAYMENT_RECEIPT",
    variables: {
      amount: formatFen(payment.amountFen, language),
      method,
      time: at ? formatDateTime(at, timeZone, language) : "-",
      payment_id: payment.paymentId,
      agent: taker.agentId,
      device: taker.deviceId || "-",
    },
    dedupeKey: `payment-receipt:${payment.paymentId}`,
  };
}
