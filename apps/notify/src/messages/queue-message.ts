import type { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { QUEUE_SIGNAL_CHANNEL } from "../delivery/queue-signal.js";
import { quietHoursRelease, type QuietHours } from "../delivery/quiet-hours.js";
import { Batcher } from "@omnihall/batching";
import { preparedQuery } from "@omnihall/db";
import type { NotifyDb, NotifyTx } from "../db.js";
import type { Message } from "../generated/prisma/client.js";
import { newId } from "@omnihall/ids";
import type { Recipient } from "../recipients/recipient.js";
import type { MessageKind } from "../templates/catalog.js";
import type { MessageWithParts } from "./message-view.js";

/** The numbers messages go out from: operators keep service and marketing traffic on separate senders. */
export interface Senders {
  service: string;
  marketing: string;
}

export interface MessagePolicy {
  senders: Senders;
  quietHours: QuietHours;
  /** Marketing met in quiet hours leaves spread over this long after the window ends (0: all at its end). */
  quietSpreadMs?: number;
}

export interface NewMessage {
  /** What makes this message unique: the request id of an API call, or the fact an event reports. */
  dedupeKey: string;
  /** A digest of what was asked, to tell a retry from a reused request id. */
  requestHash: string;
  recipient: Recipient;
  kind: MessageKind;
  templateCode: string;
  text: string;
  /** The readable text, sealed (see sealed-text), when `text` has a secret masked. */
  sealedText?: Uint8Array;
  campaignId: string;
  channel: Channel;
}

/** The message's columns under the Prisma model's field names, so a raw row is a `Message`. */
const MESSAGE_FIELDS = `id, dedupe_key AS "dedupeKey", request_hash AS "requestHash",
  subscriber_id AS "subscriberId", msisdn, time_zone AS "timeZone", kind::text AS kind, template_code AS "templateCode",
  language_code AS "languageCode", text, sealed_text AS "sealedText", sender, campaign_id AS "campaignId", channel,
  status::text AS status, attempt_count AS "attemptCount", last_error AS "lastError", next_attempt_at AS "nextAttemptAt",
  claimed_until AS "claimedUntil", submitting_until AS "submittingUntil", created_at AS "createdAt",
  sent_at AS "sentAt", finished_at AS "finishedAt"`;

/**
 * Inserts, signals and returns the new row in one statement. ON CONFLICT DO NOTHING: a concurrent twin waits for
 * the first insert to commit, then stores nothing. The signal is sent only for a row inserted, and PostgreSQL
 * delivers it only on commit, so a dispatcher never looks before the message is visible.
 */
const INSERT_MESSAGE = `
  WITH inserted AS (
    INSERT INTO message (id, dedupe_key, request_hash, subscriber_id, msisdn, time_zone, kind, template_code,
      language_code, text, sealed_text, sender, campaign_id, channel, status, next_attempt_at)
    VALUES ($1, $2, $3, $4, $5, $6, $7::"MessageKind", $8, $9, $10, $11, $12, $13, $14, $15::"MessageStatus", $16)
    ON CONFLICT DO NOTHING
    RETURNING *),
  signal AS (SELECT pg_notify($17, '') FROM inserted)
  SELECT ${MESSAGE_FIELDS} FROM inserted WHERE (SELECT count(*) FROM signal) = 1`;

/**
 * INSERT_MESSAGE for many messages at once: the same columns as parallel arrays, one commit, one signal. A dedupe
 * key met twice (already stored, or twice in the group) stores one message; its rows are missing from the answer.
 */
const INSERT_MESSAGES = `
  WITH inserted AS (
    INSERT INTO message (id, dedupe_key, request_hash, subscriber_id, msisdn, time_zone, kind, template_code,
      language_code, text, sealed_text, sender, campaign_id, channel, status, next_attempt_at)
    SELECT id, dedupe_key, request_hash, subscriber_id, msisdn, time_zone, kind::"MessageKind", template_code,
      language_code, text, sealed_text, sender, campaign_id, channel, status::"MessageStatus", next_attempt_at
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],
      $9::text[], $10::text[], $11::bytea[], $12::text[], $13::text[], $14::int[], $15::text[], $16::timestamptz[])
      AS i(id, dedupe_key, request_hash, subscriber_id, msisdn, time_zone, kind, template_code, language_code, text,
        sealed_text, sender, campaign_id, channel, status, next_attempt_at)
    ON CONFLICT DO NOTHING
    RETURNING *),
  signal AS (SELECT pg_notify($17, '') WHERE EXISTS (SELECT 1 FROM inserted))
  SELECT ${MESSAGE_FIELDS} FROM inserted WHERE (SELECT count(*) FROM signal) <= 1`;

/**
 * Messages queued on their own go in groups (see Batcher): every reply of the SMS hall queues one, and one commit
 * per message was what held a burst of replies up. The group's statement is prepared on the pool (see
 * preparedQuery): through Prisma's client (query compiler, interpreter, adapter) it cost several times the query.
 */
const insertMessages = preparedQuery<Message>("notify_queue_messages", INSERT_MESSAGES);
const insertGroups = new WeakMap<NotifyDb, Batcher<unknown[], Message | undefined>>();

/** One message's INSERT_MESSAGE values, inserted with the others queued meanwhile: its row, or none if not new. */
function insertGrouped(db: NotifyDb, values: unknown[]): Promise<Message | undefined> {
  let group = insertGroups.get(db);
  if (!group) {
    group = new Batcher(
      async (messages) => {
        const columns = Array.from({ length: 16 }, (_, column) => messages.map((values) => values[column]));
        const rows = await insertMessages(db, [...columns, QUEUE_SIGNAL_CHANNEL]);
        const byDedupeKey = new Map(rows.map((row) => [row.dedupeKey, row]));
        return messages.map((values) => ({ ok: true, value: byDedupeKey.get(values[1] as string) }));
      },
      { maxItems: 200, maxInFlight: 2 },
    );
    insertGroups.set(db, group);
  }
  return group.add(values);
}

/**
 * Stores a message for the dispatcher, once per dedupe key even under concurrency: a second caller with the same
 * key gets the first message back (`created` false). Marketing that arrives during the recipient's quiet hours
 * is stored DEFERRED until they end (spread over `quietSpreadMs` after). Dispatchers are woken when the message commits.
 *
 * One statement inserts, signals and returns the new row, here inside the caller's transaction (`tx`); see
 * queueMessageAlone for the same on its own.
 */
export function queueMessage(
  tx: Pick<NotifyTx, "$queryRawUnsafe" | "message">,
  input: NewMessage,
  policy: MessagePolicy,
  now = new Date(),
): Promise<{ message: MessageWithParts; created: boolean }> {
  return store(tx, (values) => tx.$queryRawUnsafe<Message[]>(INSERT_MESSAGE, ...values), input, policy, now);
}

/**
 * queueMessage outside any transaction: the statement is a transaction of its own, shared with the other messages
 * queued meanwhile (see insertGrouped).
 */
export function queueMessageAlone(
  db: NotifyDb,
  input: NewMessage,
  policy: MessagePolicy,
  now = new Date(),
): Promise<{ message: MessageWithParts; created: boolean }> {
  return store(
    db,
    async (values) => {
      const row = await insertGrouped(db, values.slice(0, 16));
      return row ? [row] : [];
    },
    input,
    policy,
    now,
  );
}

async function store(
  client: Pick<NotifyTx, "message">,
  insert: (values: unknown[]) => Promise<Message[]>,
  input: NewMessage,
  policy: MessagePolicy,
  now: Date,
): Promise<{ message: MessageWithParts; created: boolean }> {
  const quietUntil =
    input.kind === "MARKETING"
      ? quietHoursRelease(now, input.recipient.timeZone, policy.quietHours, policy.quietSpreadMs ?? 0, input.dedupeKey)
      : null;
  const sender = input.kind === "MARKETING" ? policy.senders.marketing : policy.senders.service;
  const [stored] = await insert([
    newId("msg"),
    input.dedupeKey,
    input.requestHash,
    input.recipient.subscriberId,
    input.recipient.msisdn,
    input.recipient.timeZone,
    input.kind,
    input.templateCode,
    input.recipient.language,
    input.text,
    input.sealedText ? Buffer.from(input.sealedText) : null,
    sender,
    input.campaignId,
    input.channel,
    quietUntil ? "DEFERRED" : "QUEUED",
    quietUntil ?? now,
    QUEUE_SIGNAL_CHANNEL,
  ]);
  if (stored) return { message: { ...stored, parts: [] }, created: true };
  const message = await client.message.findUniqueOrThrow({
    where: { dedupeKey: input.dedupeKey },
    include: { parts: true },
  });
  return { message, created: false };
}
