import { defineEvent } from "@omnihall/bus";
import { SubscriberChangedEvent, SubscriberRegisteredEvent } from "@omnihall/proto/omnihall/customer/v1/events";

/** A subscriber was created by an account opening; billing opens their prepaid account. */
export const SubscriberRegistered = defineEvent("customer.subscriber.registered", SubscriberRegisteredEvent);

/**
 * customer.subscriber.changed: a subscriber's whole campaign-relevant profile (home, plan, status), on every
 * creation or change, in the same transaction; the campaign service's audience facts come from it.
 */
export const SubscriberChanged = defineEvent("customer.subscriber.changed", SubscriberChangedEvent);
