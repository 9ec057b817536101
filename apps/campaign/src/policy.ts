import type { CampaignServiceService } from "@omnihall/proto/omnihall/campaign/v1/campaign";
import { SUBSCRIBER_HALLS, type CallPolicy } from "@omnihall/service-kit";

/** Campaign work is operations staff's, through the ops console (handlers check role and province). */
const OPERATIONS = { callers: ["ops-console", "platform"] } as const;

/**
 * Who may call what on the campaign service (deny by default; the kit enforces it before a handler runs).
 */
export const campaignPolicy: CallPolicy<typeof CampaignServiceService> = {
  createCampaign: OPERATIONS,
  updateCampaign: OPERATIONS,
  // The order engine validates the campaign id an order carries (and notify, later, the campaign it sends for).
  getCampaign: { callers: ["ops-console", "orders", "notify", "platform"] },
  listCampaigns: OPERATIONS,
  submitCampaign: OPERATIONS,
  approveCampaign: OPERATIONS,
  rejectCampaign: OPERATIONS,
  pauseCampaign: OPERATIONS,
  resumeCampaign: OPERATIONS,
  endCampaign: OPERATIONS,
  listAuditEntries: OPERATIONS,
  // What every subscriber-facing hall shows, also before anyone logged in (a kiosk's attract screen, the web
  // hall's home page): the live offers are public once launched. The console previews creative itself.
  listOffers: { callers: [...SUBSCRIBER_HALLS, "platform"], anonymous: true },
  // An audience's size is operations' business only (province operators: their own province).
  estimateAudience: OPERATIONS,
  // Facts come from the services that own them (until their events carry them) and the platform's loads; no hall
  // and no operator writes them.
  importAudienceFacts: { callers: ["customer", "billing", "usage", "notify", "platform"] },
  // How a campaign's SMS wave is going: operations' business, as the campaign itself.
  getWaveProgress: OPERATIONS,
  // What subscribers saw and did with offers: each hall reports its own (kiosk attract screens before anyone is
  // identified, hence anonymous); the platform for its loads.
  recordInteractions: { callers: [...SUBSCRIBER_HALLS, "platform"], anonymous: true },
  // A campaign's results are operations' business, with the same scope as reading it.
  getCampaignFunnel: OPERATIONS,
  // The SMS hall turns a subscriber's reply into the campaign offer it orders.
  matchReplyKeyword: { callers: ["sms-hall", "platform"] },
};
