import type pg from "pg";
import {
  SpanKind,
  contextOf,
  counterFamily,
  extractTraceContext,
  gauge,
  histogramFamily,
  inSpan,
  injectTraceContext,
  onScrape,
  recordGetter,
  recordSetter,
  startSpan,
  tracingEnabled,
  type CounterCell,
  type HistogramCell,
  type Span,
} from "@omnihall/telemetry";
import type { Delivery } from "./event-bus.js";

/*
 * The bus's metrics and traces. A trace crosses the bus in the W3C `traceparent` header: `enqueue` writes the
 * active one into the outbox row's headers, the relay's publish continues it as a producer span and sends that
 * span's traceparent in the NATS message headers, and `consume` continues it as the consumer's span, so the
 * call that caused an event and the handlers it triggers are one trace.
 */

// ---- publishing ----

const published = counterFamily(
  "omnihall_events_published_total",
  "Events the outbox relay published, by subject; duplicate=true when the stream already had the msgId.",
  ["subject", "duplicate"],
);
const publishedCells = new Map<string, [fresh: CounterCell, duplicate: CounterCell]>();

export function countPublished(subject: string, duplicate: boolean): void {
  let cells = publishedCells.get(subject);
  if (!cells) {
    cells = [published.cell({ subject, duplicate: "false" }), published.cell({ subject, duplicate: "true" })];
    publishedCells.set(subject, cells);
  }
  cells[duplicate ? 1 : 0].inc();
}

/**
 * With tracing on and a trace in the event's headers: a producer span for the publish, and the headers to send
 * (the same record with the span's own traceparent). Otherwise the headers as they are.
 */
export function producerSpan(
  subject: string,
  msgId: string,
  headers: Record<string, string> | undefined,
): { span: Span | undefined; headers: Record<string, string> | undefined } {
  if (!tracingEnabled() || !headers?.traceparent) return { span: undefined, headers };
  const parent = extractTraceContext(headers, recordGetter);
  const span = startSpan(`publish ${subject}`, {
    kind: SpanKind.PRODUCER,
    parent,
    attributes: {
      "messaging.system": "nats",
      "messaging.operation.type": "send",
      "messaging.destination.name": subject,
      "messaging.message.id": msgId,
    },
  });
  if (!span) return { span, headers };
  const sent = { ...headers };
  injectTraceContext(sent, recordSetter, contextOf(span, parent));
  return { span, headers: sent };
}

// ---- consuming ----

const deliveries = counterFamily(
  "omnihall_event_deliveries_total",
  "Events delivered to a durable consumer, by subject (redeliveries included).",
  ["durable", "subject"],
);
const redeliveries = counterFamily(
  "omnihall_event_redeliveries_total",
  "Events delivered again to a durable consumer (a handler failed, or did not settle within ack wait).",
  ["durable", "subject"],
);
const handlingSeconds = histogramFamily(
  "omnihall_event_handling_seconds",
  "Time a consumer took to handle one delivery, in seconds.",
  ["durable", "subject"],
);

interface SubjectCells {
  delivered: CounterCell;
  redelivered: CounterCell;
  seconds: HistogramCell;
}

/**
 * Measures and traces each delivery of one durable: counts (and redeliveries), handling time, and a consumer span
 * continuing the event's trace while the handler runs (its queries and calls are children of it).
 */
export function deliveryObserver(durable: string): (delivery: Delivery, apply: () => Promise<void>) => Promise<void> {
  const bySubject = new Map<string, SubjectCells>();
  return async (delivery, apply) => {
    let cells = bySubject.get(delivery.subject);
    if (!cells) {
      const labels = { durable, subject: delivery.subject };
      cells = {
        delivered: deliveries.cell(labels),
        redelivered: redeliveries.cell(labels),
        seconds: handlingSeconds.cell(labels),
      };
      bySubject.set(delivery.subject, cells);
    }
    cells.delivered.inc();
    if (delivery.deliveryCount > 1) cells.redelivered.inc();
    const startedAt = performance.now();
    try {
      if (!tracingEnabled()) {
        await apply();
      } else {
        await inSpan(
          `process ${delivery.subject}`,
          {
            kind: SpanKind.CONSUMER,
            parent: extractTraceContext(delivery.headers, recordGetter),
            attributes: {
              "messaging.system": "nats",
              "messaging.operation.type": "process",
              "messaging.destination.name": delivery.subject,
              "messaging.consumer.group.name": durable,
              "messaging.message.id": delivery.msgId ?? "",
              "messaging.nats.delivery_count": delivery.deliveryCount,
            },
          },
          apply,
        );
      }
    } finally {
      cells.seconds.observe((performance.now() - startedAt) / 1000);
    }
  };
}

const consumerPending = gauge({
  name: "omnihall_event_consumer_pending",
  help: "Consumer lag: events in the stream not yet delivered to the durable consumer.",
  labelNames: ["stream", "durable"],
});
const consumerAckPending = gauge({
  name: "omnihall_event_consumer_ack_pending",
  help: "Events delivered to the durable consumer and not yet acknowledged.",
  labelNames: ["stream", "durable"],
});
const consumerRedelivered = gauge({
  name: "omnihall_event_consumer_redelivered",
  help: "Events the server is currently redelivering to the durable consumer.",
  labelNames: ["stream", "durable"],
});

export interface ConsumerPosition {
  pending: number;
  ackPending: number;
  redelivered: number;
}

/** Reports a durable's lag at every scrape (from the server's consumer info); returns the unregister function. */
export function watchConsumerLag(stream: string, durable: string, read: () => Promise<ConsumerPosition>): () => void {
  const labels = { stream, durable };
  const stop = onScrape(async () => {
    const position = await read();
    consumerPending.set(labels, position.pending);
    consumerAckPending.set(labels, position.ackPending);
    consumerRedelivered.set(labels, position.redelivered);
  });
  return () => {
    stop();
    consumerPending.remove(labels);
    consumerAckPending.remove(labels);
    consumerRedelivered.remove(labels);
  };
}

// ---- the outbox ----

const outboxBacklog = gauge({
  name: "omnihall_outbox_backlog",
  help: "Outbox rows committed and not yet published, by the service's database.",
  labelNames: ["database"],
});
const outboxOldestAge = gauge({
  name: "omnihall_outbox_oldest_age_seconds",
  help: "Age of the oldest unpublished outbox row (0 when there is none): how far the relay is behind.",
  labelNames: ["database"],
});

/**
 * Reports a relay's backlog at every scrape, read over the relay's own session when it has one (no extra
 * connection; pg queues the query between the relay's statements). Returns the unregister function.
 */
export function watchOutbox(database: string, session: () => pg.Client | undefined): () => void {
  const labels = { database };
  const stop = onScrape(async () => {
    const client = session();
    if (!client) return;
    const { rows } = await client.query<{ backlog: number; oldest: number | null }>(
      `SELECT count(*)::int AS backlog, extract(epoch FROM now() - min(created_at))::float8 AS oldest
         FROM outbox_message WHERE published_at IS NULL`,
    );
    outboxBacklog.set(labels, rows[0]?.backlog ?? 0);
    outboxOldestAge.set(labels, Math.max(0, rows[0]?.oldest ?? 0));
  });
  return () => {
    stop();
    outboxBacklog.remove(labels);
    outboxOldestAge.remove(labels);
  };
}
