import type { CustomerServiceService } from "@omnihall/proto/omnihall/customer/v1/customer";
import { HALLS, type CallPolicy } from "@omnihall/service-kit";

/**
 * Who may call what on the customer service (deny by default; the kit enforces it before a handler runs).
 * Subscriber records are personal data: every hall reads them only for the party it acts for (the handlers check
 * the scope), and the domain services that need a subscriber's number, language or place read them for their work.
 */
export const customerPolicy: CallPolicy<typeof CustomerServiceService> = {
  // Orders (eligibility, confirmation texts), notify (recipients), billing and usage (whereabouts for their scope
  // checks) and campaigns (targeting) ask for the subscriber they work on.
  getSubscriber: { callers: [...HALLS, "orders", "notify", "billing", "usage", "campaigns", "platform"] },
  // The SMS hall looks up every texter, notify every recipient it has not cached (a campaign wave's in thousands):
  // batched, under load, from the lookups in flight.
  batchGetSubscribers: { callers: ["sms-hall", "notify"] },
  // Browsing subscribers is back-office work: operations staff within their province, campaign targeting. No
  // subscriber-facing hall lists other people, and a field agent looks up the one subscriber in front of them.
  listSubscribers: { callers: ["ops-console", "campaigns", "platform"] },
  // Logging in is what a subscriber does before anyone is acting: the halls with a login screen. The SMS hall
  // knows its subscriber from the number a text came from; the mini hall and ops console log in staff, not
  // subscribers.
  startLogin: { callers: ["web-hall", "kiosk"], anonymous: true },
  verifyLogin: { callers: ["web-hall", "kiosk"], anonymous: true },
};
