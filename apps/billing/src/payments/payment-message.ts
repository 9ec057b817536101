import type { Payment } from "@omnihall/proto/omnihall/billing/v1/billing";
import { channelOf, paymentMethodOf } from "../enum-names.js";
import type { Payment as PaymentRow } from "../generated/prisma/client.js";

export function paymentMessage(row: PaymentRow): Payment {
  return {
    paymentId: row.id,
    subscriberId: row.subscriberId,
    amountFen: row.amountFen,
    channel: channelOf(row.channel),
    paymentMethod: paymentMethodOf(row.paymentMethod),
    balanceAfterFen: row.balanceAfterFen,
    createTime: row.createdAt,
  };
}
