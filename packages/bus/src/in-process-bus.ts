import { domainOf, streamName } from "./event.js";
import {
  DEFAULT_ACK_WAIT_MS,
  DEFAULT_DUPLICATE_WINDOW_MS,
  handleDelivery,
  subscriptionDomain,
  type Delivery,
  type DeliveryHandler,
  type EventBus,
  type PublishOptions,
  type PublishResult,
  type SubscribeOptions,
  type Subscription,
} from "./event-bus.js";
import type { Logger } from "./logger.js";

export interface InProcessBusOptions {
  logger: Logger;
  /** How long a msgId is remembered to drop duplicates. Default 2 minutes, as a JetStream stream. */
  duplicateWindowMs?: number;
}

interface StoredMessage {
  seq: number;
  subject: string;
  payload: Uint8Array;
  headers: Record<string, string>;
  msgId: string;
}

/** A domain's stream: every message ever published to it in this process, and its durable consumers. */
class MemoryStream {
  readonly messages: StoredMessage[] = [];
  /** msgId → when it was first stored and where; in insertion order, so expired ids are at the front. */
  readonly recentIds = new Map<string, { seq: number; storedAt: number }>();
  readonly consumers = new Map<string, DurableConsumer>();

  constructor(readonly name: string) {}
}

interface Unsettled {
  deliveries: number;
  timer?: NodeJS.Timeout;
}

/**
 * A durable consumer's state, the way JetStream keeps it: the next stream position to deliver, the messages
 * delivered but not yet settled (each with its ack-wait or nak-delay timer), and those due again.
 */
class DurableConsumer {
  subjects = new Set<string>();
  ackWaitMs = DEFAULT_ACK_WAIT_MS;
  maxDeliver = Number.POSITIVE_INFINITY;
  #nextSeq: number;
  readonly #unsettled = new Map<number, Unsettled>();
  /** Sequences due for redelivery, lowest first. */
  readonly #due: number[] = [];
  #wakeWorkers = new Set<() => void>();

  constructor(
    private readonly stream: MemoryStream,
    startSeq: number,
  ) {
    this.#nextSeq = startSeq;
  }

  configure(options: SubscribeOptions): void {
    this.subjects = new Set(options.subjects);
    this.ackWaitMs = options.ackWaitMs ?? DEFAULT_ACK_WAIT_MS;
    this.maxDeliver = options.maxDeliver ?? Number.POSITIVE_INFINITY;
  }

  /** The next delivery for a worker: redeliveries first, then new messages on this consumer's subjects. */
  take(): Delivery | undefined {
    const dueSeq = this.#due.shift();
    if (dueSeq !== undefined) return this.#deliver(this.stream.messages[dueSeq - 1]!);
    while (this.#nextSeq <= this.stream.messages.length) {
      const message = this.stream.messages[this.#nextSeq - 1]!;
      this.#nextSeq += 1;
      if (this.subjects.has(message.subject)) return this.#deliver(message);
    }
    return undefined;
  }

  /** Resolves when there may be something new to take. */
  changed(): Promise<void> {
    return new Promise((resolve) => this.#wakeWorkers.add(resolve));
  }

  notify(): void {
    const wake = this.#wakeWorkers;
    this.#wakeWorkers = new Set();
    for (const resolve of wake) resolve();
  }

  /** Forgets every pending timer, for close(). */
  clearTimers(): void {
    for (const entry of this.#unsettled.values()) clearTimeout(entry.timer);
  }

  #deliver(message: StoredMessage): Delivery {
    const entry = this.#unsettled.get(message.seq) ?? { deliveries: 0 };
    entry.deliveries += 1;
    this.#unsettled.set(message.seq, entry);
    this.#schedule(message.seq, entry, this.ackWaitMs);
    let settled = false;
    const settle = (action: () => void) => {
      if (settled) return;
      settled = true;
      action();
    };
    return {
      subject: message.subject,
      payload: message.payload,
      headers: { ...message.headers },
      msgId: message.msgId,
      seq: message.seq,
      deliveryCount: entry.deliveries,
      ack: () => settle(() => this.#forget(message.seq)),
      term: () => settle(() => this.#forget(message.seq)),
      nak: (delayMs = 0) => settle(() => this.#schedule(message.seq, entry, delayMs)),
    };
  }

  /** (Re)arms the timer after which the message is due again: ack wait on delivery, the delay on nak. */
  #schedule(seq: number, entry: Unsettled, delayMs: number): void {
    clearTimeout(entry.timer);
    entry.timer = setTimeout(() => this.#makeDue(seq), delayMs);
  }

  #makeDue(seq: number): void {
    const entry = this.#unsettled.get(seq);
    if (!entry) return;
    entry.timer = undefined;
    if (entry.deliveries >= this.maxDeliver) {
      this.#unsettled.delete(seq);
      return;
    }
    const at = this.#due.findIndex((due) => due > seq);
    this.#due.splice(at === -1 ? this.#due.length : at, 0, seq);
    this.notify();
  }

  #forget(seq: number): void {
    const entry = this.#unsettled.get(seq);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.#unsettled.delete(seq);
    const at = this.#due.indexOf(seq);
    if (at !== -1) this.#due.splice(at, 1);
  }
}

/**
 * The event bus inside one process, for a development run without NATS: the same promises as JetStreamBus
 * (per-domain streams, msgId dedupe within a window, durable consumers that survive resubscribing, ack wait,
 * nak with delay, term, max deliveries), kept in memory, so everything is lost when the process exits.
 */
export class InProcessBus implements EventBus {
  readonly #streams = new Map<string, MemoryStream>();
  readonly #subscriptions = new Set<Subscription>();
  readonly #logger: Logger;
  readonly #duplicateWindowMs: number;
  #closed = false;

  constructor(options: InProcessBusOptions) {
    this.#logger = options.logger;
    this.#duplicateWindowMs = options.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS;
  }

  async publish(subject: string, payload: Uint8Array, options: PublishOptions): Promise<PublishResult> {
    this.#assertOpen();
    const stream = this.#stream(domainOf(subject));
    const now = Date.now();
    for (const [id, { storedAt }] of stream.recentIds) {
      if (now - storedAt < this.#duplicateWindowMs) break;
      stream.recentIds.delete(id);
    }
    const earlier = stream.recentIds.get(options.msgId);
    if (earlier) return { stream: stream.name, seq: earlier.seq, duplicate: true };

    const seq = stream.messages.length + 1;
    stream.messages.push({
      seq,
      subject,
      payload: payload.slice(),
      headers: { ...options.headers },
      msgId: options.msgId,
    });
    stream.recentIds.set(options.msgId, { seq, storedAt: now });
    for (const consumer of stream.consumers.values()) {
      if (consumer.subjects.has(subject)) consumer.notify();
    }
    return { stream: stream.name, seq, duplicate: false };
  }

  async subscribe(options: SubscribeOptions, handler: DeliveryHandler): Promise<Subscription> {
    this.#assertOpen();
    const stream = this.#stream(subscriptionDomain(options));
    let consumer = stream.consumers.get(options.durable);
    if (!consumer) {
      consumer = new DurableConsumer(stream, options.deliverFrom === "new" ? stream.messages.length + 1 : 1);
      stream.consumers.set(options.durable, consumer);
    }
    consumer.configure(options);

    const logger = this.#logger.child({ durable: options.durable });
    let stopped = false;
    const worker = (async () => {
      while (!stopped) {
        const delivery = consumer.take();
        if (delivery) await handleDelivery(handler, delivery, logger);
        else await consumer.changed();
      }
    })();
    const subscription: Subscription = {
      stop: async () => {
        stopped = true;
        consumer.notify();
        await worker;
        this.#subscriptions.delete(subscription);
      },
    };
    this.#subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all([...this.#subscriptions].map((subscription) => subscription.stop()));
    for (const stream of this.#streams.values()) {
      for (const consumer of stream.consumers.values()) consumer.clearTimers();
    }
  }

  #stream(domain: string): MemoryStream {
    const name = streamName(domain);
    let stream = this.#streams.get(name);
    if (!stream) {
      stream = new MemoryStream(name);
      this.#streams.set(name, stream);
    }
    return stream;
  }

  #assertOpen(): void {
    if (this.#closed) throw new Error("The in-process event bus is closed");
  }
}
