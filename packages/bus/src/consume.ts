import { backoffDelay, type Backoff } from "./backoff.js";
import type { EventDefinition } from "./event.js";
import {
  REQUEST_ID_HEADER,
  type Delivery,
  type EventBus,
  type SubscribeOptions,
  type Subscription,
} from "./event-bus.js";
import type { Logger } from "./logger.js";
import type { SqlClient, TransactionRunner } from "./sql-client.js";

/** What a handler receives: the subject tells which of the consumer's events it is, and types the message. */
export type ReceivedEvent<E> = E extends EventDefinition<infer T, infer S> ? { subject: S; message: T } : never;

/** Tells which event a handler of several received, narrowing its message type. */
export function isEvent<D extends EventDefinition<unknown, string>>(
  received: { subject: string },
  event: D,
): received is ReceivedEvent<D> {
  return received.subject === event.subject;
}

export interface EventContext<Tx> {
  /** The transaction the handler's side effect must be written in; it also records the message as processed. */
  tx: Tx;
  /** The event's outbox id, unique per event. */
  messageId: string;
  /** The request that caused the event, when the publisher passed it on. */
  requestId: string | undefined;
  headers: Record<string, string>;
  /** 1 on first delivery; more when earlier attempts failed or were not acknowledged in time. */
  deliveryCount: number;
  /** Logger bound to the consumer, subject, message id and request id. */
  log: Logger;
}

export interface ConsumeOptions<Tx extends SqlClient, E extends EventDefinition<unknown, string>> extends Pick<
  SubscribeOptions,
  "deliverFrom" | "ackWaitMs" | "maxDeliver" | "prefetch"
> {
  /** `<consumer>--<purpose>`: the durable consumer, and the consumer recorded in processed_message. */
  durable: string;
  events: readonly E[];
  /** Runs each handler in a transaction, e.g. the service's PrismaClient. */
  db: TransactionRunner<Tx>;
  handler: (event: ReceivedEvent<E>, context: EventContext<Tx>) => Promise<void>;
  logger: Logger;
  /** Delay before redelivering after a handler error, doubling per attempt. Default 1 s up to 1 min. */
  retry?: Backoff;
}

export interface EventConsumer {
  /** Stops receiving; waits for the event being handled. */
  stop(): Promise<void>;
}

const DEFAULT_RETRY: Backoff = { initialMs: 1_000, maxMs: 60_000 };

/**
 * Applies each event at most once per consumer although the bus delivers at least once: the handler runs in
 * a transaction that first records (consumer, message id) in processed_message, so a redelivered event is
 * acknowledged without running the side effect again. A handler error rolls everything back and the event is
 * redelivered after a growing delay; a payload that cannot be decoded is terminated and logged.
 */
export async function consume<Tx extends SqlClient, E extends EventDefinition<unknown, string>>(
  bus: EventBus,
  options: ConsumeOptions<Tx, E>,
): Promise<EventConsumer> {
  const bySubject = new Map<string, EventDefinition<unknown>>(options.events.map((event) => [event.subject, event]));
  // One subscription per domain: each domain's events are in their own stream.
  const subjectsByDomain = new Map<string, string[]>();
  for (const event of options.events) {
    subjectsByDomain.set(event.domain, [...(subjectsByDomain.get(event.domain) ?? []), event.subject]);
  }
  const logger = options.logger.child({ durable: options.durable });
  const subscriptions: Subscription[] = [];
  const stop = async () => {
    await Promise.all(subscriptions.map((subscription) => subscription.stop()));
  };
  try {
    for (const subjects of subjectsByDomain.values()) {
      const subscribeOptions = {
        durable: options.durable,
        subjects,
        deliverFrom: options.deliverFrom,
        ackWaitMs: options.ackWaitMs,
        maxDeliver: options.maxDeliver,
        prefetch: options.prefetch,
      };
      subscriptions.push(
        await bus.subscribe(subscribeOptions, (delivery) => apply(delivery, bySubject.get(delivery.subject)!)),
      );
    }
  } catch (error) {
    await stop();
    throw error;
  }

  async function apply(delivery: Delivery, event: EventDefinition<unknown>): Promise<void> {
    const requestId = delivery.headers[REQUEST_ID_HEADER];
    const log = logger.child({
      subject: delivery.subject,
      messageId: delivery.msgId,
      requestId,
      deliveryCount: delivery.deliveryCount,
    });
    const messageId = delivery.msgId;
    if (!messageId) {
      log.error({}, "event has no message id, so it cannot be applied exactly once; terminated");
      return delivery.term();
    }
    let message: unknown;
    try {
      message = event.codec.decode(delivery.payload);
    } catch (error) {
      log.error({ err: error }, "event payload cannot be decoded; terminated");
      return delivery.term();
    }

    try {
      const applied = await options.db.$transaction(async (tx) => {
        const claimed = await tx.$executeRaw`
          INSERT INTO processed_message (consumer, message_id) VALUES (${options.durable}, ${messageId})
          ON CONFLICT DO NOTHING`;
        if (claimed === 0) return false;
        const received = { subject: delivery.subject, message } as ReceivedEvent<E>;
        await options.handler(received, {
          tx,
          messageId,
          requestId,
          headers: delivery.headers,
          deliveryCount: delivery.deliveryCount,
          log,
        });
        return true;
      });
      delivery.ack();
      log.debug({}, applied ? "event applied" : "event was already applied; acknowledged again");
    } catch (error) {
      const retryInMs = backoffDelay(delivery.deliveryCount, options.retry ?? DEFAULT_RETRY);
      log.error({ err: error, retryInMs }, "event handler failed; will retry");
      delivery.nak(retryInMs);
    }
  }

  return { stop };
}
