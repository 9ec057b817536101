import type { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import type { LiveOffer } from "@omnihall/proto/omnihall/campaign/v1/campaign";

/** Where a subscriber, agent or kiosk is: what "offers here" means. */
export interface Place {
  provinceCode: string;
  city?: string;
}

/** One campaign's offers changed: `offers` empty when it left the halls (paused, ended). */
export interface LiveOfferChange {
  campaignId: string;
  offers: readonly LiveOffer[];
}

export type LiveOfferListener = (change: LiveOfferChange) => void;

/**
 * The live offers in memory, indexed by channel, so a hall's question is a walk over that channel's few live
 * campaigns with no I/O. Both the NATS watcher and the in-process board keep one.
 */
export class OfferCache {
  /** campaign id → its offers (one per channel it runs on). */
  readonly #byCampaign = new Map<string, readonly LiveOffer[]>();
  /** channel → campaign id → that campaign's offer on the channel. */
  readonly #byChannel = new Map<Channel, Map<string, LiveOffer>>();
  readonly #listeners = new Set<LiveOfferListener>();

  /** Replaces one campaign's offers (none: it left every hall) and tells the listeners. */
  apply(campaignId: string, offers: readonly LiveOffer[]): void {
    for (const previous of this.#byCampaign.get(campaignId) ?? [])
      this.#byChannel.get(previous.channel)?.delete(campaignId);
    if (offers.length === 0) this.#byCampaign.delete(campaignId);
    else this.#byCampaign.set(campaignId, offers);
    for (const offer of offers) {
      let channel = this.#byChannel.get(offer.channel);
      if (!channel) this.#byChannel.set(offer.channel, (channel = new Map()));
      channel.set(campaignId, offer);
    }
    for (const listener of this.#listeners) {
      // A listener that throws (a closed SSE stream) must not keep the others from hearing the change.
      try {
        listener({ campaignId, offers });
      } catch {
        /* the listener's own problem */
      }
    }
  }

  /**
   * The offers live on `channel` for someone in `place`: national campaigns, and those of the place's province
   * whose cities (if they name any) include the place's city. Offers past their end time are left out even
   * before the campaign service retires them.
   */
  offersFor(channel: Channel, place: Place, now = Date.now()): LiveOffer[] {
    const live = this.#byChannel.get(channel);
    if (!live) return [];
    const found: LiveOffer[] = [];
    for (const offer of live.values()) {
      if (offer.endTime && offer.endTime.getTime() <= now) continue;
      if (!offer.national && !offer.provinceCodes.includes(place.provinceCode)) continue;
      if (offer.cities.length > 0 && (place.city === undefined || !offer.cities.includes(place.city))) continue;
      found.push(offer);
    }
    return found;
  }

  /** Every campaign with offers on some hall now. */
  campaignIds(): string[] {
    return [...this.#byCampaign.keys()];
  }

  /** Calls back on every change (for server-sent events); returns the unsubscribe. */
  onChange(listener: LiveOfferListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}
