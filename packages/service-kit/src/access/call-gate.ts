import type { Metadata } from "@grpc/grpc-js";
import type { CallerKeys } from "@omnihall/config";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { permissionDenied, unauthenticated } from "../domain-error.js";
import {
  ACTING_PARTY_KEY,
  ActingPartyRejected,
  actingPartyKey,
  verifyActingParty,
  type ActingParty,
} from "./acting-party.js";
import { identityOf } from "./callers.js";
import type { CallRule } from "./policy.js";

/** What the gate lets through: who acts, and through which channel. */
export interface Admission {
  party: ActingParty | undefined;
  /** The caller's channel for a hall; for a domain service, the channel it names on the request (or none). */
  channel: Channel;
}

const CALLER_NOT_ALLOWED = {
  "zh-CN": "该调用方无权调用此接口。",
  en: "This caller may not call this method.",
};
const ACTING_PARTY_INVALID = {
  "zh-CN": "代办人身份无效或已过期。",
  en: "The acting party is missing its valid signature or has expired.",
};
const ACTING_PARTY_REQUIRED = {
  "zh-CN": "请先登录。",
  en: "This needs a logged-in person or registered device.",
};
const PARTY_KIND_NOT_ALLOWED = {
  "zh-CN": "该调用方不能代表此类身份。",
  en: "This caller may not act for this kind of party.",
};
const CHANNEL_MISMATCH = {
  "zh-CN": "请求的渠道与调用方不符。",
  en: "The request names another channel than the caller's own.",
};

/**
 * Checks every call before its handler: the caller policy (deny by default), the signed acting party (signature,
 * expiry, and that this caller may assert this kind of party), and the channel, which comes from the caller's
 * identity: a hall's request naming another channel is refused, one naming none gets the hall's.
 */
export function createCallGate(callers: CallerKeys) {
  const keys = new Map([...callers].map(([name, key]) => [name, actingPartyKey(key)]));

  return function admit(caller: string, rule: CallRule, metadata: Metadata, request: unknown): Admission {
    if (!rule.callers.includes(caller as never)) {
      throw permissionDenied("CALLER_NOT_ALLOWED", CALLER_NOT_ALLOWED, { metadata: { caller } });
    }
    const identity = identityOf(caller);

    let party: ActingParty | undefined;
    const token = metadata.get(ACTING_PARTY_KEY)[0];
    if (token !== undefined) {
      try {
        party = verifyActingParty(String(token), { caller, key: keys.get(caller)! });
      } catch (error) {
        if (!(error instanceof ActingPartyRejected)) throw error;
        throw unauthenticated("ACTING_PARTY_INVALID", ACTING_PARTY_INVALID, { metadata: { why: error.message } });
      }
      if (!identity.parties.includes(party.kind)) {
        throw permissionDenied("PARTY_KIND_NOT_ALLOWED", PARTY_KIND_NOT_ALLOWED, { metadata: { kind: party.kind } });
      }
    } else if (identity.channel !== undefined && !rule.anonymous) {
      throw unauthenticated("ACTING_PARTY_REQUIRED", ACTING_PARTY_REQUIRED);
    }

    const fields = typeof request === "object" && request !== null ? (request as { channel?: unknown }) : undefined;
    const requested = typeof fields?.channel === "number" ? (fields.channel as Channel) : Channel.CHANNEL_UNSPECIFIED;
    if (identity.channel === undefined) return { party, channel: requested };
    if (requested !== Channel.CHANNEL_UNSPECIFIED && requested !== identity.channel) {
      throw permissionDenied("CHANNEL_MISMATCH", CHANNEL_MISMATCH, {
        metadata: { callerChannel: Channel[identity.channel], requestedChannel: String(Channel[requested]) },
      });
    }
    if (fields && "channel" in fields) fields.channel = identity.channel;
    return { party, channel: identity.channel };
  };
}

export type CallGate = ReturnType<typeof createCallGate>;
