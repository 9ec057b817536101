import type { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { signalMessageQueued } from "../delivery/queue-signal.js";
import { quietHoursEnd, type QuietHours } from "../delivery/quiet-hours.js";
import type { NotifyTx } from "../db.js";
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

/**
 * Stores a message for the dispatcher, once per dedupe key even under concurrency: a second caller with the same
 * key gets the first message back (`created` false). Marketing that arrives during the recipient's quiet hours
 * is stored DEFERRED until they end. Dispatchers are woken when the transaction commits.
 */
export async function queueMessage(
  tx: NotifyTx,
  input: NewMessage,
  policy: MessagePolicy,
  now = new Date(),
): Promise<{ message: MessageWithParts; created: boolean }> {
  const quietUntil =
    input.kind === "MARKETING" ? quietHoursEnd(now, input.recipient.timeZone, policy.quietHours) : null;
  // RETURNING the new row: the common case (a new message, no parts yet) needs no second read.
  const [stored] = await tx.message.createManyAndReturn({
    data: {
      id: newId("msg"),
      dedupeKey: input.dedupeKey,
      requestHash: input.requestHash,
      subscriberId: input.recipient.subscriberId,
      msisdn: input.recipient.msisdn,
      timeZone: input.recipient.timeZone,
      kind: input.kind,
      templateCode: input.templateCode,
      languageCode: input.recipient.language,
      text: input.text,
      sealedText: input.sealedText ? new Uint8Array(input.sealedText) : null,
      sender: input.kind === "MARKETING" ? policy.senders.marketing : policy.senders.service,
      campaignId: input.campaignId,
      channel: input.channel,
      status: quietUntil ? "DEFERRED" : "QUEUED",
      nextAttemptAt: quietUntil ?? now,
    },
    // ON CONFLICT DO NOTHING: a concurrent twin waits for the first insert to commit, then stores nothing.
    skipDuplicates: true,
  });
  if (stored) {
    await signalMessageQueued(tx);
    return { message: { ...stored, parts: [] }, created: true };
  }
  const message = await tx.message.findUniqueOrThrow({
    where: { dedupeKey: input.dedupeKey },
    include: { parts: true },
  });
  return { message, created: false };
}
