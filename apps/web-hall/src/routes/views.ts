import type { Bill, Payment } from "@omnihall/proto/omnihall/billing/v1/billing";
import { BillLineKind, BillStatus, PaymentMethod } from "@omnihall/proto/omnihall/billing/v1/billing";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import type { Subscriber } from "@omnihall/proto/omnihall/customer/v1/customer";
import { SubscriberStatus } from "@omnihall/proto/omnihall/customer/v1/customer";

/**
 * How domain messages look in the hall's JSON: enum names without their prefix, fen as JSON integers (safe: far
 * below 2^53), times as ISO 8601.
 */
function enumName<E extends Record<string, string | number>>(values: E, prefix: string, value: number): string {
  const name = (values as Record<number, string>)[value] ?? "";
  return name.startsWith(prefix) ? name.slice(prefix.length) : "UNSPECIFIED";
}

const fen = (value: bigint) => Number(value);

export const subscriberSchema = {
  type: "object",
  properties: {
    subscriberId: { type: "string" },
    msisdn: { type: "string" },
    displayName: { type: "string" },
    provinceCode: { type: "string" },
    city: { type: "string" },
    planCode: { type: "string" },
    status: { type: "string" },
    languageCode: { type: "string" },
  },
} as const;

export function subscriberView(s: Subscriber) {
  return {
    subscriberId: s.subscriberId,
    msisdn: s.msisdn,
    displayName: s.displayName,
    provinceCode: s.provinceCode,
    city: s.city,
    planCode: s.planCode,
    status: enumName(SubscriberStatus, "SUBSCRIBER_STATUS_", s.status),
    languageCode: s.languageCode,
  };
}

export const PAYMENT_METHODS = ["ALIPAY", "WECHAT_PAY", "UNIONPAY", "RECHARGE_CARD"] as const;

export function paymentMethodOf(name: (typeof PAYMENT_METHODS)[number]): PaymentMethod {
  return PaymentMethod[`PAYMENT_METHOD_${name}`];
}

export const paymentSchema = {
  type: "object",
  properties: {
    paymentId: { type: "string" },
    amountFen: { type: "integer" },
    channel: { type: "string" },
    paymentMethod: { type: "string" },
    balanceAfterFen: { type: "integer" },
    createTime: { type: "string", format: "date-time" },
  },
} as const;

export function paymentView(p: Payment) {
  return {
    paymentId: p.paymentId,
    amountFen: fen(p.amountFen),
    channel: enumName(Channel, "CHANNEL_", p.channel),
    paymentMethod: enumName(PaymentMethod, "PAYMENT_METHOD_", p.paymentMethod),
    balanceAfterFen: fen(p.balanceAfterFen),
    createTime: p.createTime?.toISOString(),
  };
}

const localizedSchema = {
  type: "object",
  properties: { "zh-CN": { type: "string" }, en: { type: "string" } },
} as const;

export const billSchema = {
  type: "object",
  properties: {
    billId: { type: "string" },
    billingMonth: { type: "string" },
    totalFen: { type: "integer" },
    status: { type: "string" },
    issueTime: { type: "string", format: "date-time" },
    lines: {
      type: "array",
      items: {
        type: "object",
        properties: { kind: { type: "string" }, description: localizedSchema, amountFen: { type: "integer" } },
      },
    },
  },
} as const;

export function billView(b: Bill) {
  return {
    billId: b.billId,
    billingMonth: b.billingMonth,
    totalFen: fen(b.totalFen),
    status: enumName(BillStatus, "BILL_STATUS_", b.status),
    issueTime: b.issueTime?.toISOString(),
    lines: b.lines.map((line) => ({
      kind: enumName(BillLineKind, "BILL_LINE_KIND_", line.kind),
      description: { "zh-CN": line.description?.zhCn ?? "", en: line.description?.en ?? "" },
      amountFen: fen(line.amountFen),
    })),
  };
}
