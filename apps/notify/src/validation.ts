import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { notifyError } from "./errors.js";
import { hasIdShape } from "@omnihall/ids";

export const MAX_EVIDENCE_LENGTH = 500;

export function requireRequestId(requestId: string): string {
  if (!requestId.trim()) throw notifyError("REQUEST_ID_REQUIRED", { field: "request_id" });
  return requestId;
}

export function requireSubscriberId(subscriberId: string): string {
  if (!hasIdShape(subscriberId, "sub")) throw notifyError("SUBSCRIBER_ID_MALFORMED", { field: "subscriber_id" });
  return subscriberId;
}

export function requireChannel(channel: Channel): Channel {
  if (channel === Channel.CHANNEL_UNSPECIFIED || channel === Channel.UNRECOGNIZED || !(channel in Channel)) {
    throw notifyError("CHANNEL_REQUIRED", { field: "channel" });
  }
  return channel;
}

export function checkEvidence(evidence: string, required: boolean): string {
  const trimmed = evidence.trim();
  if (required && !trimmed) throw notifyError("EVIDENCE_REQUIRED", { field: "evidence" });
  if ([...trimmed].length > MAX_EVIDENCE_LENGTH) throw notifyError("EVIDENCE_TOO_LONG", { field: "evidence" });
  return trimmed;
}
