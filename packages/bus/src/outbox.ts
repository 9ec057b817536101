import type { EventDefinition } from "./event.js";
import { newId } from "@omnihall/ids";
import { withTraceHeaders } from "@omnihall/telemetry";
import type { SqlClient } from "./sql-client.js";

/** The PostgreSQL channel enqueue notifies (on commit) to wake the outbox relay at once. */
export const OUTBOX_CHANNEL = "omnihall_outbox";

// NATS header names are tokens; values are one line.
const HEADER_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

export interface EnqueueOptions {
  /** Travel with the event to its consumers, e.g. `{ [REQUEST_ID_HEADER]: ctx.requestId }`. */
  headers?: Record<string, string>;
}

/**
 * Records an event in the outbox inside the caller's transaction, so it is published if and only if the state
 * change it describes commits. Returns the event id, which is also the message id consumers deduplicate by.
 */
export async function enqueue<T>(
  tx: SqlClient,
  event: EventDefinition<T>,
  message: T,
  options: EnqueueOptions = {},
): Promise<string> {
  const headers = checkedHeaders(options);
  const id = newId("evt");
  const payload = event.codec.encode(message).finish();
  // One round trip: the row, and a notification PostgreSQL delivers only if the transaction commits.
  await tx.$executeRaw`
    WITH stored AS (
      INSERT INTO outbox_message (id, subject, payload, headers)
      VALUES (${id}, ${event.subject}, ${payload}, ${JSON.stringify(headers)}::jsonb)
      RETURNING id
    )
    SELECT pg_notify(${OUTBOX_CHANNEL}, '') FROM stored`;
  return id;
}

/**
 * Records several events of one kind in the outbox in one statement, inside the caller's transaction: for
 * work that produces many events at once (a batch of usage records crossing many thresholds), where a round
 * trip per event would dominate. Returns the event ids, in the order of `messages`.
 */
export async function enqueueAll<T>(
  tx: SqlClient,
  event: EventDefinition<T>,
  messages: readonly T[],
  options: EnqueueOptions = {},
): Promise<string[]> {
  if (messages.length === 0) return [];
  const headers = checkedHeaders(options);
  const ids = messages.map(() => newId("evt"));
  const payloads = messages.map((message) => Buffer.from(event.codec.encode(message).finish()));
  await tx.$executeRaw`
    WITH stored AS (
      INSERT INTO outbox_message (id, subject, payload, headers)
      SELECT id, ${event.subject}, payload, ${JSON.stringify(headers)}::jsonb
        FROM unnest(${ids}::text[], ${payloads}::bytea[]) AS e(id, payload)
      RETURNING id
    )
    SELECT pg_notify(${OUTBOX_CHANNEL}, '') FROM stored LIMIT 1`;
  return ids;
}

/** The event's headers, checked, plus the active trace (`traceparent`) so its consumers continue it. */
function checkedHeaders(options: EnqueueOptions): Record<string, string> {
  const headers = withTraceHeaders(options.headers ?? {});
  for (const [name, value] of Object.entries(headers)) {
    if (!HEADER_NAME.test(name) || name.toLowerCase().startsWith("nats-") || /[\r\n]/.test(value)) {
      throw new Error(`Event header ${JSON.stringify(name)}: ${JSON.stringify(value)} cannot be sent over NATS`);
    }
  }
  return headers;
}
