import { defineEvent } from "@omnihall/bus";
import { ConsentChangedEvent } from "@omnihall/proto/omnihall/notify/v1/events";

/** A subscriber's marketing consent was recorded or withdrawn (the campaign service's audience keeps it). */
export const ConsentChanged = defineEvent("notify.consent.changed", ConsentChangedEvent);
