import { Kvm, type KV, type KvWatchEntry } from "@nats-io/kv";
import { watchBucket } from "@omnihall/bus";
import { connect, type NatsConnection } from "@nats-io/transport-node";
import { ListOffersResponse, type LiveOffer } from "@omnihall/proto/omnihall/campaign/v1/campaign";
import type { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { OfferCache, type LiveOfferListener, type Place } from "./offer-cache.js";

/** The KV bucket holding the live offer set: one key per campaign, its value the campaign's offers. */
export const LIVE_OFFERS_BUCKET = "campaign-live-offers";

/**
 * The live offer set every hall reads: reads are synchronous and in memory (they sit on page loads); writes (the
 * campaign service's) go where every hall instance sees them.
 */
export interface LiveOffers {
  /** The offers live on a channel for someone in a place, from memory. */
  offersFor(channel: Channel, place: Place): LiveOffer[];
  /** Calls back on every change (a campaign launched, paused, ended); returns the unsubscribe. */
  onChange(listener: LiveOfferListener): () => void;
  /** Puts one campaign's offers on the halls (replacing what it had there). */
  publish(campaignId: string, offers: readonly LiveOffer[]): Promise<void>;
  /** Takes one campaign's offers off every hall. */
  withdraw(campaignId: string): Promise<void>;
  /** Campaign ids with offers live now. */
  campaignIds(): string[];
  close(): Promise<void>;
}

/**
 * The live offer set in this process only: for `npm start` without NATS (every hall runs in the same process and
 * is handed this one object) and for tests of a single process.
 */
export class MemoryLiveOffers implements LiveOffers {
  readonly #cache = new OfferCache();

  offersFor(channel: Channel, place: Place): LiveOffer[] {
    return this.#cache.offersFor(channel, place);
  }

  onChange(listener: LiveOfferListener): () => void {
    return this.#cache.onChange(listener);
  }

  async publish(campaignId: string, offers: readonly LiveOffer[]): Promise<void> {
    this.#cache.apply(campaignId, offers);
  }

  async withdraw(campaignId: string): Promise<void> {
    this.#cache.apply(campaignId, []);
  }

  campaignIds(): string[] {
    return this.#cache.campaignIds();
  }

  async close(): Promise<void> {}
}

export interface NatsLiveOffersOptions {
  /** NATS servers (NATS_URL), or a connection the caller owns. */
  servers?: string[];
  connection?: NatsConnection;
  /** Default LIVE_OFFERS_BUCKET; tests use their own. */
  bucket?: string;
  /** Copies of the bucket in the cluster (1 in development, 3 in production). */
  replicas?: number;
  /** How long start-up waits for the current set before refusing to start; default 10 s. */
  loadTimeoutMs?: number;
  /** Told when the watch fails after start-up (the cache then stays as it was until a restart). */
  onWatchError?: (error: unknown) => void;
}

/**
 * The live offer set in a NATS JetStream KV bucket, watched: a launch or a pause written by the campaign service
 * reaches every watching hall's memory within milliseconds, and a hall (re)started later first loads the whole
 * set before it answers, so it never shows an offer paused while it was down.
 */
export class NatsLiveOffers implements LiveOffers {
  readonly #cache: OfferCache;

  private constructor(
    private readonly kv: KV,
    private readonly ownConnection: NatsConnection | undefined,
    private readonly stopWatching: () => void,
    cache: OfferCache,
  ) {
    this.#cache = cache;
  }

  static async open(options: NatsLiveOffersOptions): Promise<NatsLiveOffers> {
    const ownConnection = options.connection
      ? undefined
      : await connect({ servers: options.servers ?? ["nats://127.0.0.1:4222"], maxReconnectAttempts: -1 });
    const connection = options.connection ?? ownConnection!;
    try {
      // One value per key: only the current offers matter, history would only replay stale ones.
      const kv = await new Kvm(connection).create(options.bucket ?? LIVE_OFFERS_BUCKET, {
        history: 1,
        replicas: options.replicas ?? 1,
      });
      const cache = new OfferCache();
      const watch = await watchBucket(kv, (entry) => cache.apply(entry.key, offersOf(entry)), {
        what: "live offers",
        loadTimeoutMs: options.loadTimeoutMs,
        onError: options.onWatchError,
      });
      return new NatsLiveOffers(kv, ownConnection, () => watch.stop(), cache);
    } catch (error) {
      await ownConnection?.close();
      throw error;
    }
  }

  offersFor(channel: Channel, place: Place): LiveOffer[] {
    return this.#cache.offersFor(channel, place);
  }

  onChange(listener: LiveOfferListener): () => void {
    return this.#cache.onChange(listener);
  }

  async publish(campaignId: string, offers: readonly LiveOffer[]): Promise<void> {
    await this.kv.put(campaignId, ListOffersResponse.encode({ offers: [...offers] }).finish());
  }

  async withdraw(campaignId: string): Promise<void> {
    // A delete (not a purge) leaves a marker the watchers see; history 1 keeps only that marker.
    await this.kv.delete(campaignId);
  }

  campaignIds(): string[] {
    return this.#cache.campaignIds();
  }

  async close(): Promise<void> {
    this.stopWatching();
    await this.ownConnection?.drain();
  }
}

function offersOf(entry: KvWatchEntry): LiveOffer[] {
  if (entry.operation !== "PUT") return [];
  try {
    return ListOffersResponse.decode(entry.value).offers;
  } catch {
    // A value this version cannot read shows nothing rather than breaking every hall's watch.
    return [];
  }
}

/** NATS when servers are configured, else this process only. */
export async function openLiveOffers(options: NatsLiveOffersOptions & { servers?: string[] }): Promise<LiveOffers> {
  if (options.servers?.length || options.connection) return NatsLiveOffers.open(options);
  return new MemoryLiveOffers();
}
