import { defineEvent } from "@omnihall/bus";
import { LoginCodeIssuedEvent } from "@omnihall/proto/omnihall/customer/v1/events";

/** A login code must reach a subscriber's phone; the notification service sends it as a service SMS. */
export const LoginCodeIssued = defineEvent("customer.login_code.issued", LoginCodeIssuedEvent);

/**
 * What a login code is sealed under: the event and the number it is for, so a sealed code copied into an event
 * for another number does not open.
 */
export function loginCodeContext(msisdn: string): string {
  return `${LoginCodeIssued.subject}:${msisdn}`;
}
