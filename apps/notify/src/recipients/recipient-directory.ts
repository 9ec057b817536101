import type { CallOptions } from "@omnihall/channel-client";
import {
  SubscriberStatus,
  type GetSubscriberRequest,
  type GetSubscriberResponse,
  type Subscriber,
} from "@omnihall/proto/omnihall/customer/v1/customer";
import { notifyError } from "../errors.js";
import { messageLanguage } from "../templates/render.js";
import type { Recipient } from "./recipient.js";

/** The one CustomerService method notify calls (a `createServiceClient(CustomerServiceClient, …)` fits). */
export interface SubscriberSource {
  getSubscriber(request: GetSubscriberRequest, options?: CallOptions): Promise<GetSubscriberResponse>;
}

export interface RecipientDirectoryOptions {
  /** How long a subscriber's details are reused. Default 5 minutes: numbers and languages rarely change. */
  ttlMs?: number;
  /** Most subscribers kept; the oldest entry goes first. Default 10 000. */
  maxEntries?: number;
  /** Zone for subscribers without one. */
  defaultTimeZone?: string;
}

const CUSTOMER_REASONS = new Set(["SUBSCRIBER_NOT_FOUND", "SUBSCRIBER_ID_MALFORMED", "MSISDN_MALFORMED"] as const);

/**
 * Recipient facts from the customer service, cached: a burst of reminders to one subscriber (thresholds, order
 * progress) costs one lookup. Concurrent lookups of one subscriber share a call.
 */
export class RecipientDirectory {
  private readonly cache = new Map<string, { recipient: Recipient; expiresAt: number }>();
  private readonly pending = new Map<string, Promise<Recipient>>();
  private readonly ttlMs: number;
  private readonly maxEntries: number;
  private readonly defaultTimeZone: string;

  constructor(
    private readonly customers: SubscriberSource,
    options: RecipientDirectoryOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 5 * 60_000;
    this.maxEntries = options.maxEntries ?? 10_000;
    this.defaultTimeZone = options.defaultTimeZone ?? "Asia/Shanghai";
  }

  /** The subscriber's recipient facts. Throws SUBSCRIBER_NOT_FOUND, SUBSCRIBER_ID_MALFORMED or CUSTOMER_UNAVAILABLE. */
  async byId(subscriberId: string, requestId?: string): Promise<Recipient> {
    const cached = this.cache.get(subscriberId);
    if (cached && cached.expiresAt > Date.now()) return cached.recipient;
    let lookup = this.pending.get(subscriberId);
    if (!lookup) {
      lookup = this.lookUp({ subscriberId }, requestId).finally(() => this.pending.delete(subscriberId));
      this.pending.set(subscriberId, lookup);
    }
    return lookup;
  }

  /** Who holds a number now (never cached: a number changes hands). Throws like byId, or MSISDN_MALFORMED. */
  byMsisdn(msisdn: string, requestId?: string): Promise<Recipient> {
    return this.lookUp({ msisdn }, requestId);
  }

  private async lookUp(request: GetSubscriberRequest, requestId: string | undefined): Promise<Recipient> {
    let subscriber: Subscriber | undefined;
    try {
      ({ subscriber } = await this.customers.getSubscriber(request, { requestId }));
    } catch (error) {
      const reason = (error as { reason?: string }).reason as never;
      if (CUSTOMER_REASONS.has(reason)) throw notifyError(reason);
      throw notifyError("CUSTOMER_UNAVAILABLE", { cause: error });
    }
    if (!subscriber) throw notifyError("SUBSCRIBER_NOT_FOUND");
    const recipient: Recipient = {
      subscriberId: subscriber.subscriberId,
      msisdn: subscriber.msisdn,
      language: messageLanguage(subscriber.languageCode),
      timeZone: subscriber.timeZone || this.defaultTimeZone,
      active: subscriber.status === SubscriberStatus.SUBSCRIBER_STATUS_ACTIVE,
    };
    this.remember(recipient);
    return recipient;
  }

  private remember(recipient: Recipient): void {
    this.cache.delete(recipient.subscriberId);
    this.cache.set(recipient.subscriberId, { recipient, expiresAt: Date.now() + this.ttlMs });
    if (this.cache.size > this.maxEntries) this.cache.delete(this.cache.keys().next().value!);
  }
}
