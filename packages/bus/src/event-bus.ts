import { domainOf } from "./event.js";
import type { Logger } from "./logger.js";

/** Header carrying the id of the request that caused an event, from the publisher's logs to the consumer's. */
export const REQUEST_ID_HEADER = "omnihall-request-id";

export interface PublishOptions {
  /** Unique per event (the outbox id): the stream drops a second message with the same id inside its window. */
  msgId: string;
  headers?: Record<string, string>;
}

export interface PublishResult {
  stream: string;
  seq: number;
  /** True when the stream already held a message with this msgId and dropped this one. */
  duplicate: boolean;
}

export interface SubscribeOptions {
  /** Durable consumer name, `<consumer>--<purpose>` (e.g. `notify--payment-receipts`); its position survives restarts. */
  durable: string;
  /** Subjects to receive, all of one domain. */
  subjects: string[];
  /** Where a durable seen for the first time starts: every stored message (default) or only new ones. */
  deliverFrom?: "all" | "new";
  /** How long a delivery may stay unsettled before it is delivered again. Default 30 s. */
  ackWaitMs?: number;
  /** Deliveries after which an unacknowledged message is given up. Default: never give up. */
  maxDeliver?: number;
  /** Messages fetched ahead of the one being handled (JetStream only). Default 10. */
  prefetch?: number;
}

/** One delivery of a stored message to a durable consumer. Settle it exactly once: ack, nak or term. */
export interface Delivery {
  subject: string;
  payload: Uint8Array;
  /** Application headers (the transport's own `Nats-*` headers are left out). */
  headers: Record<string, string>;
  /** The msgId the message was published with. */
  msgId: string | undefined;
  /** Position in the domain's stream. */
  seq: number;
  /** 1 on first delivery, 2 on the first redelivery, … */
  deliveryCount: number;
  /** Done: never deliver it to this consumer again. */
  ack(): void;
  /** Failed for now: deliver it again after delayMs (at once when omitted). */
  nak(delayMs?: number): void;
  /** Can never succeed (e.g. undecodable): never deliver it to this consumer again. */
  term(): void;
}

/** Handles deliveries one at a time, in stream order; a delivery left unsettled is redelivered after ackWait. */
export type DeliveryHandler = (delivery: Delivery) => Promise<void>;

export interface Subscription {
  /** Stops receiving; waits for the delivery being handled, hands unhandled prefetched ones back at once. */
  stop(): Promise<void>;
}

/**
 * Domain events between services: each domain's events live in one stream, published with a msgId so
 * duplicates are dropped, and read by durable consumers that settle each delivery deliberately.
 * `JetStreamBus` is the real one; `InProcessBus` keeps the same promises inside one process.
 */
export interface EventBus {
  publish(subject: string, payload: Uint8Array, options: PublishOptions): Promise<PublishResult>;
  subscribe(options: SubscribeOptions, handler: DeliveryHandler): Promise<Subscription>;
  /** Stops every subscription and lets go of the connection. */
  close(): Promise<void>;
}

export const DEFAULT_ACK_WAIT_MS = 30_000;
export const DEFAULT_DUPLICATE_WINDOW_MS = 2 * 60_000;

const DURABLE_NAME = /^[a-z0-9]+(-[a-z0-9]+)*--[a-z0-9]+(-[a-z0-9]+)*$/;

/** Checks what every bus requires of a subscription and returns the one domain its subjects belong to. */
export function subscriptionDomain(options: SubscribeOptions): string {
  if (!DURABLE_NAME.test(options.durable)) {
    throw new Error(
      `Durable consumer name "${options.durable}" must be <consumer>--<purpose>, e.g. notify--payment-receipts`,
    );
  }
  const domains = new Set(options.subjects.map(domainOf));
  if (domains.size !== 1) {
    throw new Error(`A subscription reads one domain's stream; got subjects ${JSON.stringify(options.subjects)}`);
  }
  return [...domains][0]!;
}

/** Runs a handler for one delivery; a handler that throws instead of settling gets its delivery retried. */
export async function handleDelivery(handler: DeliveryHandler, delivery: Delivery, logger: Logger): Promise<void> {
  try {
    await handler(delivery);
  } catch (error) {
    logger.error({ err: error, subject: delivery.subject, msgId: delivery.msgId }, "event handler threw; redelivering");
    delivery.nak();
  }
}
