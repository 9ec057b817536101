import { defineEvent } from "@omnihall/bus";
import { PaymentSucceededEvent } from "@omnihall/proto/omnihall/billing/v1/events";
import { LoginCodeIssuedEvent } from "@omnihall/proto/omnihall/customer/v1/events";
import { ProductExpiringEvent } from "@omnihall/proto/omnihall/orders/v1/events";
import {
  ConfirmationRequestedEvent,
  InstallationProgressedEvent,
  OrderStateChangedEvent,
} from "@omnihall/proto/omnihall/orders/v1/order_events";
import {
  QuotaThresholdCrossedEvent,
  RoamingEnteredEvent,
  UsageSummaryDueEvent,
} from "@omnihall/proto/omnihall/usage/v1/events";

/** The events other domains publish that notify turns into service messages (their subjects are the contract). */
export const LoginCodeIssued = defineEvent("customer.login_code.issued", LoginCodeIssuedEvent);
export const QuotaThresholdCrossed = defineEvent("usage.quota.threshold_crossed", QuotaThresholdCrossedEvent);
export const RoamingEntered = defineEvent("usage.roaming.entered", RoamingEnteredEvent);
export const UsageSummaryDue = defineEvent("usage.summary.due", UsageSummaryDueEvent);
export const ProductExpiring = defineEvent("orders.product.expiring", ProductExpiringEvent);
export const ConfirmationRequested = defineEvent("orders.confirmation.requested", ConfirmationRequestedEvent);
export const InstallationProgressed = defineEvent("orders.installation.progressed", InstallationProgressedEvent);
/** Payments; only those a field agent took in person call for a message (the receipt). */
export const PaymentSucceeded = defineEvent("billing.payment.succeeded", PaymentSucceededEvent);
/** `orders.order.<state>`: one subject per state, one message type. */
export const OrderStateChanged = (
  ["acknowledged", "pending", "held", "in_progress", "completed", "failed", "cancelled"] as const
).map((state) => defineEvent(`orders.order.${state}`, OrderStateChangedEvent));

export const NOTICE_EVENTS = [
  LoginCodeIssued,
  QuotaThresholdCrossed,
  RoamingEntered,
  UsageSummaryDue,
  ProductExpiring,
  ConfirmationRequested,
  InstallationProgressed,
  PaymentSucceeded,
  ...OrderStateChanged,
] as const;
