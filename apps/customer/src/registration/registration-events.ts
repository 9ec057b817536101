import { defineEvent } from "@omnihall/bus";
import { SubscriberRegisteredEvent } from "@omnihall/proto/omnihall/customer/v1/events";

/** A subscriber was created by an account opening; billing opens their prepaid account. */
export const SubscriberRegistered = defineEvent("customer.subscriber.registered", SubscriberRegisteredEvent);
