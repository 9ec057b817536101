import type { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { QUEUE_SIGNAL_CHANNEL } from "../delivery/queue-signal.js";
import { quietHoursRelease, type QuietHours } from "../delivery/quiet-hours.js";
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
 * The insert on its own, as a prepared statement on the pool (see preparedQuery): every reply of the SMS hall
 * queues one, and through Prisma's client (query compiler, interpreter, adapter) it cost several times the query.
 */
const insertMessageAlone = preparedQuery<Message>("notify_queue_message", INSERT_MESSAGE);

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
 * queueMessage outside any transaction: the one statement is a transaction of its own and one round trip, sent as
 * a prepared statement on the service's pool.
 */
export function queueMessageAlone(
  db: NotifyDb,
  input: NewMessage,
  policy: MessagePolicy,
  now = new Date(),
): Promise<{ message: MessageWithParts; created: boolean }> {
  return store(db, (values) => insertMessageAlone(db, values), input, policy, now);
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
