import { defineEvent, REQUEST_ID_HEADER } from "@omnihall/bus";
import { PaymentSucceededEvent } from "@omnihall/proto/omnihall/billing/v1/events";
import {
  ProductActivatedEvent,
  ProductDeactivatedEvent,
  ProductExpiringEvent,
} from "@omnihall/proto/omnihall/orders/v1/events";
import {
  ConfirmationRequestedEvent,
  InstallationProgressedEvent,
  OrderStateChangedEvent,
} from "@omnihall/proto/omnihall/orders/v1/order_events";
import type { OrderState } from "./orders/order-state.js";

/** Every fact the orders domain publishes (stream ORDERS). */
export const OrderEvents = {
  ACKNOWLEDGED: defineEvent("orders.order.acknowledged", OrderStateChangedEvent),
  PENDING: defineEvent("orders.order.pending", OrderStateChangedEvent),
  HELD: defineEvent("orders.order.held", OrderStateChangedEvent),
  IN_PROGRESS: defineEvent("orders.order.in_progress", OrderStateChangedEvent),
  COMPLETED: defineEvent("orders.order.completed", OrderStateChangedEvent),
  FAILED: defineEvent("orders.order.failed", OrderStateChangedEvent),
  CANCELLED: defineEvent("orders.order.cancelled", OrderStateChangedEvent),
} as const satisfies Record<OrderState, unknown>;

export const ConfirmationRequested = defineEvent("orders.confirmation.requested", ConfirmationRequestedEvent);
export const InstallationProgressed = defineEvent("orders.installation.progressed", InstallationProgressedEvent);
export const ProductActivated = defineEvent("orders.product.activated", ProductActivatedEvent);
export const ProductDeactivated = defineEvent("orders.product.deactivated", ProductDeactivatedEvent);
export const ProductExpiring = defineEvent("orders.product.expiring", ProductExpiringEvent);

/** Billing's fact that money arrived; an order HELD awaiting payment goes on with it. */
export const PaymentSucceeded = defineEvent("billing.payment.succeeded", PaymentSucceededEvent);

/** Event headers that carry the causing request's id to consumers' logs. */
export function eventHeaders(requestId: string | undefined): Record<string, string> {
  return requestId ? { [REQUEST_ID_HEADER]: requestId } : {};
}

/** Every event definition above, e.g. to subscribe to the whole domain. */
export const ALL_ORDERS_EVENTS = [
  ...Object.values(OrderEvents),
  ConfirmationRequested,
  InstallationProgressed,
  ProductActivated,
  ProductDeactivated,
  ProductExpiring,
] as const;
