import type { Language } from "../templates/catalog.js";

/** Who a message goes to and how to address them: what notify needs to know about a subscriber. */
export interface Recipient {
  subscriberId: string;
  msisdn: string;
  language: Language;
  /** IANA zone for quiet hours and for the times written in messages. */
  timeZone: string;
  /** False for suspended or terminated numbers: service messages still go out, marketing does not. */
  active: boolean;
}
