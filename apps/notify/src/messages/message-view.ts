import type { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import {
  MessageKind as ProtoKind,
  MessageStatus as ProtoStatus,
  type Message as ProtoMessage,
} from "@omnihall/proto/omnihall/notify/v1/notify";
import type { Message, MessagePart } from "../generated/prisma/client.js";

export const KIND_TO_PROTO = { SERVICE: ProtoKind.MESSAGE_KIND_SERVICE, MARKETING: ProtoKind.MESSAGE_KIND_MARKETING };
export const STATUS_TO_PROTO = {
  QUEUED: ProtoStatus.MESSAGE_STATUS_QUEUED,
  DEFERRED: ProtoStatus.MESSAGE_STATUS_DEFERRED,
  SENT: ProtoStatus.MESSAGE_STATUS_SENT,
  DELIVERED: ProtoStatus.MESSAGE_STATUS_DELIVERED,
  FAILED: ProtoStatus.MESSAGE_STATUS_FAILED,
} as const;

export type MessageWithParts = Message & { parts: MessagePart[] };

/** The contract's view of a stored message. */
export function toProtoMessage(message: MessageWithParts): ProtoMessage {
  const waiting = message.status === "QUEUED" || message.status === "DEFERRED";
  return {
    messageId: message.id,
    subscriberId: message.subscriberId,
    msisdn: message.msisdn,
    kind: KIND_TO_PROTO[message.kind],
    templateCode: message.templateCode,
    languageCode: message.languageCode,
    text: message.text,
    sender: message.sender,
    campaignId: message.campaignId,
    status: STATUS_TO_PROTO[message.status],
    parts: [...message.parts]
      .sort((a, b) => a.sequence - b.sequence)
      .map((part) => ({
        sequence: part.sequence,
        providerMessageId: part.providerMessageId,
        status: STATUS_TO_PROTO[part.status],
        errorCode: part.errorCode,
        updateTime: part.updatedAt,
      })),
    attemptCount: message.attemptCount,
    lastError: message.lastError,
    createTime: message.createdAt,
    nextAttemptTime: waiting ? message.nextAttemptAt : undefined,
    sendTime: message.sentAt ?? undefined,
    finishTime: message.finishedAt ?? undefined,
    channel: message.channel as Channel,
  };
}
