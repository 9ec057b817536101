import {
  PaymentPurpose,
  PaymentStatus,
  RefundStatus,
  type Payment,
  type Refund,
} from "@omnihall/proto/omnihall/billing/v1/billing";
import { channelOf, paymentMethodOf } from "../enum-names.js";
import type { PaymentRefund, Payment as PaymentRow } from "../generated/prisma/client.js";

const OPEN = new Set(["CREATED", "PENDING"]);

export function paymentMessage(row: PaymentRow): Payment {
  const open = OPEN.has(row.status);
  return {
    paymentId: row.id,
    subscriberId: row.subscriberId,
    amountFen: row.amountFen,
    channel: channelOf(row.channel),
    paymentMethod: paymentMethodOf(row.paymentMethod),
    balanceAfterFen: row.balanceAfterFen ?? 0n,
    createTime: row.createdAt,
    status: PaymentStatus[`PAYMENT_STATUS_${row.status}`],
    purpose: row.purpose === "ORDER" ? PaymentPurpose.PAYMENT_PURPOSE_ORDER : PaymentPurpose.PAYMENT_PURPOSE_TOP_UP,
    orderId: row.orderId ?? "",
    // A pay page is only worth showing while the payment can still be paid.
    payUrl: open ? (row.payUrl ?? "") : "",
    qrPayload: open ? (row.qrPayload ?? "") : "",
    expireTime: row.expiresAt ?? undefined,
    successTime: row.succeededAt ?? undefined,
    refundedFen: row.refundedFen,
    providerReference: row.providerReference ?? "",
    failureReason: row.failureReason ?? "",
    failureMessage: row.failureReason ? { zhCn: row.failureZh ?? "", en: row.failureEn ?? "" } : undefined,
    cashCountedFen: row.cashCountedFen,
    cashLastSequence: row.cashLastSequence,
    updateTime: row.updatedAt,
    takenBy: row.takenByAgentId ? { agentId: row.takenByAgentId, deviceId: row.takenOnDeviceId ?? "" } : undefined,
  };
}

export function refundMessage(row: PaymentRefund): Refund {
  return {
    refundId: row.id,
    paymentId: row.paymentId,
    amountFen: row.amountFen,
    status: RefundStatus[`REFUND_STATUS_${row.status}`],
    reason: row.reason,
    providerReference: row.providerReference ?? "",
    createTime: row.createdAt,
  };
}
