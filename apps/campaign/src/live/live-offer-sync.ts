import type { LiveOffers } from "@omnihall/live-offers";
import type { Logger } from "@omnihall/service-kit";
import type { LiveOffer } from "@omnihall/proto/omnihall/campaign/v1/campaign";
import type { Campaign as CampaignRow } from "../generated/prisma/client.js";
import type { CampaignDb } from "../db.js";
import { toProto } from "../campaigns/campaign-record.js";

/** A live campaign's offers as the halls show them: one per channel it runs on, with that channel's creative. */
export function liveOffersOf(row: CampaignRow): LiveOffer[] {
  const { spec } = toProto(row);
  if (!spec) return [];
  const audience = spec.audience;
  const provinces = audience?.provinceCodes.length
    ? audience.provinceCodes
    : row.provinceCode
      ? [row.provinceCode]
      : [];
  return spec.channels.map((placement) => ({
    campaignId: row.id,
    campaignName: spec.name,
    offer: spec.offer,
    channel: placement.channel,
    creative: placement.creative,
    national: provinces.length === 0,
    provinceCodes: provinces,
    cities: audience?.cities ?? [],
    endTime: spec.schedule?.endTime,
  }));
}

/**
 * Keeps the live offer set (the KV bucket every hall watches) equal to the LIVE campaigns in the database. The
 * database is the truth and is written first, in the transaction with the audit entry and the event; the set
 * follows right after the commit (`sync`), never inside the transaction, and `reconcile` (each scheduler round)
 * repairs whatever a failed write or a crash between the two left behind.
 */
export class LiveOfferSync {
  /** campaign id → the version last put on the halls by this process. */
  readonly #published = new Map<string, number>();

  constructor(
    private readonly db: CampaignDb,
    private readonly board: LiveOffers,
    private readonly logger: Logger,
  ) {}

  /** Brings one campaign's offers in line with its row (after a change committed). */
  async sync(campaignId: string): Promise<void> {
    try {
      const row = await this.db.campaign.findUnique({ where: { id: campaignId } });
      await this.#apply(campaignId, row?.state === "LIVE" ? row : undefined);
    } catch (error) {
      // The next reconcile (within a scheduler interval) tries again; the change itself is committed.
      this.logger.warn({ err: error, campaignId }, "live offer set not updated; the scheduler will retry");
    }
  }

  /** Every LIVE campaign on the halls at its current version, nothing else. Returns how many keys it changed. */
  async reconcile(): Promise<number> {
    const live = await this.db.campaign.findMany({ where: { state: "LIVE" } });
    const liveIds = new Set(live.map((row) => row.id));
    let changed = 0;
    for (const row of live) {
      if (this.#published.get(row.id) === row.version && this.board.campaignIds().includes(row.id)) continue;
      await this.#apply(row.id, row);
      changed += 1;
    }
    for (const campaignId of this.board.campaignIds()) {
      if (liveIds.has(campaignId)) continue;
      await this.#apply(campaignId, undefined);
      changed += 1;
    }
    return changed;
  }

  async #apply(campaignId: string, live: CampaignRow | undefined): Promise<void> {
    if (live) {
      await this.board.publish(campaignId, liveOffersOf(live));
      this.#published.set(campaignId, live.version);
    } else {
      this.#published.delete(campaignId);
      await this.board.withdraw(campaignId);
    }
  }
}
