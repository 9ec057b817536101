import { defineEvent } from "@omnihall/bus";
import {
  CampaignEndedEvent,
  CampaignLaunchedEvent,
  CampaignPausedEvent,
} from "@omnihall/proto/omnihall/campaign/v1/events";
import { ChargeCompletedEvent, ChargeRefundedEvent } from "@omnihall/proto/omnihall/billing/v1/events";

/** What the campaign service publishes (through its outbox). */
export const CampaignLaunched = defineEvent("campaign.campaign.launched", CampaignLaunchedEvent);
export const CampaignPaused = defineEvent("campaign.campaign.paused", CampaignPausedEvent);
export const CampaignEnded = defineEvent("campaign.campaign.ended", CampaignEndedEvent);

/** What it consumes to keep its audience facts (monthly spend). */
export const ChargeCompleted = defineEvent("billing.charge.completed", ChargeCompletedEvent);
export const ChargeRefunded = defineEvent("billing.charge.refunded", ChargeRefundedEvent);
