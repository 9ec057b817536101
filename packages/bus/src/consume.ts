import { backoffDelay, type Backoff } from "./backoff.js";
import type { EventDefinition } from "./event.js";
import {
  REQUEST_ID_HEADER,
  type Delivery,
  type EventBus,
  type SubscribeOptions,
  type Subscription,
} from "./event-bus.js";
import { deliveryObserver } from "./bus-telemetry.js";
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

/** What `prepare` receives: everything of the handler's context but a transaction. */
export interface PrepareContext {
  /** The event's outbox id, unique per event. */
  messageId: string;
  requestId: string | undefined;
  headers: Record<string, string>;
  deliveryCount: number;
  log: Logger;
}

export interface EventContext<Tx, P = undefined> {
  /** The transaction the handler's side effect must be written in; it also records the message as processed. */
  tx: Tx;
  /** What `prepare` returned for this delivery (undefined without a prepare). */
  prepared: P;
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

export interface ConsumeOptions<
  Tx extends SqlClient,
  E extends EventDefinition<unknown, string>,
  P = undefined,
> extends Pick<SubscribeOptions, "deliverFrom" | "ackWaitMs" | "maxDeliver" | "prefetch"> {
  /** `<consumer>--<purpose>`: the durable consumer, and the consumer recorded in processed_message. */
  durable: string;
  events: readonly E[];
  /** Runs each handler in a transaction, e.g. the service's PrismaClient. */
  db: TransactionRunner<Tx>;
  /**
   * Work that waits on the network (a call to another service), run before the handler's transaction and
   * outside it, so no transaction, row lock or pool connection is held while it waits. It may run more than once
   * for one event (a redelivery, two instances racing), so it must only read or be idempotent; its result reaches
   * the handler as `context.prepared`. A throw retries the event like a handler error.
   */
  prepare?: (event: ReceivedEvent<E>, context: PrepareContext) => Promise<P>;
  handler: (event: ReceivedEvent<E>, context: EventContext<Tx, P>) => Promise<void>;
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
export async function consume<Tx extends SqlClient, E extends EventDefinition<unknown, string>, P = undefined>(
  bus: EventBus,
  options: ConsumeOptions<Tx, E, P>,
): Promise<EventConsumer> {
  const bySubject = new Map<string, EventDefinition<unknown>>(options.events.map((event) => [event.subject, event]));
  // One subscription per domain: each domain's events are in their own stream.
  const subjectsByDomain = new Map<string, string[]>();
  for (const event of options.events) {
    subjectsByDomain.set(event.domain, [...(subjectsByDomain.get(event.domain) ?? []), event.subject]);
  }
  const logger = options.logger.child({ durable: options.durable });
  // Counts, handling time, and the consumer span that continues the event's trace around apply().
  const observe = deliveryObserver(options.durable);
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
        await bus.subscribe(subscribeOptions, (delivery) =>
          observe(delivery, () => apply(delivery, bySubject.get(delivery.subject)!)),
        ),
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

    const received = { subject: delivery.subject, message } as ReceivedEvent<E>;
    const context = { messageId, requestId, headers: delivery.headers, deliveryCount: delivery.deliveryCount, log };
    try {
      let prepared = undefined as P;
      if (options.prepare) {
        // A redelivery may be of an event already applied: no need to call anyone again for it.
        if (delivery.deliveryCount > 1 && (await alreadyApplied(messageId))) {
          delivery.ack();
          log.debug({}, "event was already applied; acknowledged again");
          return;
        }
        prepared = await options.prepare(received, context);
      }
      const applied = await options.db.$transaction(async (tx) => {
        const claimed = await tx.$executeRaw`
          INSERT INTO processed_message (consumer, message_id) VALUES (${options.durable}, ${messageId})
          ON CONFLICT DO NOTHING`;
        if (claimed === 0) return false;
        await options.handler(received, { ...context, tx, prepared });
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

  function alreadyApplied(messageId: string): Promise<boolean> {
    return options.db.$transaction(
      async (tx) =>
        (await tx.$executeRaw`
          SELECT 1 FROM processed_message WHERE consumer = ${options.durable} AND message_id = ${messageId}`) > 0,
    );
  }

  return { stop };
}
