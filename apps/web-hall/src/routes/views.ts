import { enumView, fenOf, timeOf } from "@omnihall/hall-kit";
import type { Bill, Payment } from "@omnihall/proto/omnihall/billing/v1/billing";
import { BillLineKind, BillStatus, PaymentMethod, PaymentStatus } from "@omnihall/proto/omnihall/billing/v1/billing";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import type { Subscriber } from "@omnihall/proto/omnihall/customer/v1/customer";
import { SubscriberStatus } from "@omnihall/proto/omnihall/customer/v1/customer";

/** The web hall's JSON views of domain messages (shapes only: every rule is the services'). */
const subscriberStatus = enumView(SubscriberStatus, "SUBSCRIBER_STATUS_");
const channels = enumView(Channel, "CHANNEL_");
/** Every method of the contract: which of them the web hall may take is billing's rule, not the hall's. */
export const paymentMethods = enumView(PaymentMethod, "PAYMENT_METHOD_");
export const paymentStatuses = enumView(PaymentStatus, "PAYMENT_STATUS_");
const billStatus = enumView(BillStatus, "BILL_STATUS_");
const billLineKind = enumView(BillLineKind, "BILL_LINE_KIND_");

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
    status: subscriberStatus.nameOf(s.status),
    languageCode: s.languageCode,
  };
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
    status: { type: "string", enum: [...paymentStatuses.names] },
    payUrl: { type: "string", description: "While PENDING: the gateway's page to pay on" },
    qrPayload: { type: "string", description: "While PENDING: the QR code's text, to scan instead" },
  },
} as const;

export function paymentView(p: Payment) {
  return {
    paymentId: p.paymentId,
    amountFen: fenOf(p.amountFen),
    channel: channels.nameOf(p.channel),
    paymentMethod: paymentMethods.nameOf(p.paymentMethod),
    balanceAfterFen: fenOf(p.balanceAfterFen),
    createTime: timeOf(p.createTime),
    status: paymentStatuses.nameOf(p.status),
    payUrl: p.payUrl,
    qrPayload: p.qrPayload,
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
    totalFen: fenOf(b.totalFen),
    status: billStatus.nameOf(b.status),
    issueTime: timeOf(b.issueTime),
    lines: b.lines.map((line) => ({
      kind: billLineKind.nameOf(line.kind),
      description: { "zh-CN": line.description?.zhCn ?? "", en: line.description?.en ?? "" },
      amountFen: fenOf(line.amountFen),
    })),
  };
}
