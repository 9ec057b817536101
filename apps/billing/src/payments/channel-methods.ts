import { PaymentMethod } from "@omnihall/proto/omnihall/billing/v1/billing";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { failedPrecondition, type DomainError } from "@omnihall/service-kit";

const { PAYMENT_METHOD_ALIPAY, PAYMENT_METHOD_WECHAT_PAY, PAYMENT_METHOD_UNIONPAY, PAYMENT_METHOD_CASH } =
  PaymentMethod;
const { PAYMENT_METHOD_RECHARGE_CARD, PAYMENT_METHOD_BANK_CARD } = PaymentMethod;

/**
 * Which payment methods each channel may take money by, decided here and not in the halls: cash only where a
 * person or a machine can count it (a kiosk's acceptor, a field agent), bank cards only on the mini hall's POS
 * terminal, the online gateways where the subscriber has a browser or can scan a QR code (web hall, kiosk screen),
 * recharge cards wherever a code can be typed. The ops console and SMS hall take no money but recharge cards.
 */
export const PAYMENT_METHODS_BY_CHANNEL: ReadonlyMap<Channel, readonly PaymentMethod[]> = new Map([
  [
    Channel.CHANNEL_WEB_HALL,
    [PAYMENT_METHOD_ALIPAY, PAYMENT_METHOD_WECHAT_PAY, PAYMENT_METHOD_UNIONPAY, PAYMENT_METHOD_RECHARGE_CARD],
  ],
  [Channel.CHANNEL_SMS_HALL, [PAYMENT_METHOD_RECHARGE_CARD]],
  [
    Channel.CHANNEL_KIOSK,
    [PAYMENT_METHOD_CASH, PAYMENT_METHOD_ALIPAY, PAYMENT_METHOD_WECHAT_PAY, PAYMENT_METHOD_RECHARGE_CARD],
  ],
  [Channel.CHANNEL_MINI_HALL, [PAYMENT_METHOD_CASH, PAYMENT_METHOD_BANK_CARD]],
  [Channel.CHANNEL_OPS_CONSOLE, []],
]);

const METHOD_NAMES: Record<number, { zh: string; en: string }> = {
  [PAYMENT_METHOD_ALIPAY]: { zh: "支付宝", en: "Alipay" },
  [PAYMENT_METHOD_WECHAT_PAY]: { zh: "微信支付", en: "WeChat Pay" },
  [PAYMENT_METHOD_UNIONPAY]: { zh: "银联在线支付", en: "UnionPay online" },
  [PAYMENT_METHOD_CASH]: { zh: "现金", en: "cash" },
  [PAYMENT_METHOD_RECHARGE_CARD]: { zh: "充值卡", en: "a recharge card" },
  [PAYMENT_METHOD_BANK_CARD]: { zh: "银行卡刷卡", en: "a bank card" },
};

export const paymentMethodNotAllowed = (method: PaymentMethod, channel: Channel): DomainError => {
  const name = METHOD_NAMES[method] ?? { zh: "该支付方式", en: "this payment method" };
  return failedPrecondition(
    "PAYMENT_METHOD_NOT_ALLOWED",
    { "zh-CN": `此渠道不支持${name.zh}付款。`, en: `This channel does not take payment by ${name.en}.` },
    { metadata: { channel: Channel[channel] ?? String(channel), paymentMethod: PaymentMethod[method] ?? "" } },
  );
};

/** Refuses a method the channel may not take money by (the channel is the caller's own, filled by the kit). */
export function assertMethodAllowed(channel: Channel, method: PaymentMethod): void {
  if (!(PAYMENT_METHODS_BY_CHANNEL.get(channel) ?? []).includes(method)) throw paymentMethodNotAllowed(method, channel);
}
