import { defineEvent, REQUEST_ID_HEADER } from "@omnihall/bus";
import {
  ChargeCompletedEvent,
  ChargeRefundedEvent,
  PaymentCompletedEvent,
  PaymentRefundedEvent,
  PaymentSucceededEvent,
  PointsRedeemedEvent,
} from "@omnihall/proto/omnihall/billing/v1/events";

/** The facts billing publishes (stream BILLING). */
export const PaymentCompleted = defineEvent("billing.payment.completed", PaymentCompletedEvent);
export const ChargeCompleted = defineEvent("billing.charge.completed", ChargeCompletedEvent);
export const ChargeRefunded = defineEvent("billing.charge.refunded", ChargeRefundedEvent);
export const PointsRedeemed = defineEvent("billing.points.redeemed", PointsRedeemedEvent);
export const PaymentSucceeded = defineEvent("billing.payment.succeeded", PaymentSucceededEvent);
export const PaymentRefunded = defineEvent("billing.payment.refunded", PaymentRefundedEvent);

export const BILLING_EVENTS = [
  PaymentCompleted,
  ChargeCompleted,
  ChargeRefunded,
  PointsRedeemed,
  PaymentSucceeded,
  PaymentRefunded,
];

/** Headers that carry the request id from the call that caused an event to its consumers' logs. */
export const eventHeaders = (requestId: string) => ({ [REQUEST_ID_HEADER]: requestId });
