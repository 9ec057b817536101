import type { NotifyServiceService } from "@omnihall/proto/omnihall/notify/v1/notify";
import { HALLS, type CallPolicy } from "@omnihall/service-kit";

/** The halls where a subscriber themselves is present: their own messages and consent. */
const SUBSCRIBER_PRESENT = ["web-hall", "sms-hall", "kiosk"] as const;

/**
 * Who may call what on the notification service (deny by default; the kit enforces it before a handler runs).
 * Marketing texts go out only from the campaign side: SendMessage also checks the message kind against the
 * caller (a rule on the request, so it lives in the handler).
 */
export const notifyPolicy: CallPolicy<typeof NotifyServiceService> = {
  // Service texts come from the domain services (most through their events); the customer service may send a
  // login code directly. No hall texts people on its own — except the SMS hall answering a text the subscriber
  // just sent to the service number (only with its SMS_HALL_REPLY template, which no other caller may use).
  sendMessage: { callers: ["campaigns", "customer", "platform", "sms-hall"] },
  // The SMS hall's replies: batched, under load, from the texts in flight.
  batchSendMessages: { callers: ["sms-hall"] },
  // A message's text may carry a one-time code (login, order confirmation): only the subscriber's own halls read
  // it, never staff. A field agent reading the confirmation code sent to the subscriber's phone would confirm
  // an order without them.
  getMessage: { callers: [...SUBSCRIBER_PRESENT, "platform"] },
  listMessages: { callers: [...SUBSCRIBER_PRESENT, "campaigns", "platform"] },
  // Consent is the subscriber's, given where they are (an agent at the door records it with its evidence).
  recordConsent: { callers: [...SUBSCRIBER_PRESENT, "mini-hall", "platform"] },
  // Anyone serving the subscriber may take an opt-out (support on the phone too): stopping texts is always safe.
  optOut: { callers: [...HALLS, "platform"] },
  getConsent: { callers: [...HALLS, "campaigns", "platform"] },
  // The campaign service's outbound wave: queue a batch, withdraw on pause or end, count for its progress.
  sendMarketingBatch: { callers: ["campaigns", "platform"] },
  withdrawCampaignMessages: { callers: ["campaigns", "platform"] },
  getCampaignDeliveryStats: { callers: ["campaigns", "platform"] },
};
