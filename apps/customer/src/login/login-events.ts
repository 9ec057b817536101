import { defineEvent } from "@omnihall/bus";
import { LoginCodeIssuedEvent } from "@omnihall/proto/omnihall/customer/v1/events";

/** A login code must reach a subscriber's phone; the notification service sends it as a service SMS. */
export const LoginCodeIssued = defineEvent("customer.login_code.issued", LoginCodeIssuedEvent);
