import { defineEvent, REQUEST_ID_HEADER } from "@omnihall/bus";
import { ProductActivatedEvent, ProductDeactivatedEvent } from "@omnihall/proto/omnihall/orders/v1/events";
import {
  QuotaThresholdCrossedEvent,
  RoamingEnteredEvent,
  UsageSummaryDueEvent,
} from "@omnihall/proto/omnihall/usage/v1/events";

/** What usage publishes (through its outbox). */
export const QuotaThresholdCrossed = defineEvent("usage.quota.threshold_crossed", QuotaThresholdCrossedEvent);
export const RoamingEntered = defineEvent("usage.roaming.entered", RoamingEnteredEvent);
export const UsageSummaryDue = defineEvent("usage.summary.due", UsageSummaryDueEvent);

/** What usage consumes: the products subscribers hold, from which it makes buckets. */
export const ProductActivated = defineEvent("orders.product.activated", ProductActivatedEvent);
export const ProductDeactivated = defineEvent("orders.product.deactivated", ProductDeactivatedEvent);

/** Headers that carry the causing request's id to the consumers' logs. */
export function eventHeaders(requestId: string | undefined): Record<string, string> {
  return requestId ? { [REQUEST_ID_HEADER]: requestId } : {};
}
