import type { LiveOffers } from "@omnihall/live-offers";
import type { CampaignDb } from "./db.js";
import type { LiveOfferSync } from "./live/live-offer-sync.js";
import type { WaveNotify } from "./wave/wave-runner.js";

/** What every campaign handler works with. */
export interface CampaignDeps {
  db: CampaignDb;
  /** The live offer set (the watched KV bucket, or this process's own without NATS). */
  board: LiveOffers;
  live: LiveOfferSync;
  /** Tells the scheduler a campaign changed (an approval whose start is near). */
  wakeScheduler(): void;
  /** Notify, for the SMS wave's delivery counts (absent: the progress answers without them). */
  notify?: WaveNotify;
}
