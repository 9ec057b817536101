import type { Metadata } from "@grpc/grpc-js";
import type { CallerKeys } from "@omnihall/config";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { permissionDenied, unauthenticated } from "../domain-error.js";
import {
  ACTING_PARTIES_KEY,
  ACTING_PARTY_KEY,
  ActingPartyRejected,
  actingPartyKey,
  verifyActingParties,
  verifyActingParty,
  type ActingParty,
} from "./acting-party.js";
import { identityOf, type CallerIdentity } from "./callers.js";
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

const PARTIES_MISMATCHED = {
  "zh-CN": "批量调用的代办人与请求条目不一一对应。",
  en: "A batch call needs one signed acting party per item.",
};

/**
 * Checks every call before its handler: the caller policy (deny by default), the signed acting party (signature,
 * expiry, and that this caller may assert this kind of party), and the channel, which comes from the caller's
 * identity: a hall's request naming another channel is refused, one naming none gets the hall's. A batch call
 * (see batchOf) is checked item by item as each item's own call would be, with its own party.
 */
export function createCallGate(callers: CallerKeys) {
  const keys = new Map([...callers].map(([name, key]) => [name, actingPartyKey(key)]));

  function allowedCaller(caller: string, rule: CallRule) {
    if (!rule.callers.includes(caller as never)) {
      throw permissionDenied("CALLER_NOT_ALLOWED", CALLER_NOT_ALLOWED, { metadata: { caller } });
    }
    return identityOf(caller);
  }

  function verified<T>(check: () => T): T {
    try {
      return check();
    } catch (error) {
      if (!(error instanceof ActingPartyRejected)) throw error;
      throw unauthenticated("ACTING_PARTY_INVALID", ACTING_PARTY_INVALID, { metadata: { why: error.message } });
    }
  }

  /** What one call (or one item of a batch) may do with this party and this request. */
  function admitted(identity: CallerIdentity, rule: CallRule, party: ActingParty | undefined, request: unknown) {
    if (party && !identity.parties.includes(party.kind)) {
      throw permissionDenied("PARTY_KIND_NOT_ALLOWED", PARTY_KIND_NOT_ALLOWED, { metadata: { kind: party.kind } });
    }
    if (!party && identity.channel !== undefined && !rule.anonymous) {
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
  }

  function admit(caller: string, rule: CallRule, metadata: Metadata, request: unknown): Admission {
    const identity = allowedCaller(caller, rule);
    const token = metadata.get(ACTING_PARTY_KEY)[0];
    const party =
      token === undefined
        ? undefined
        : verified(() => verifyActingParty(String(token), { caller, key: keys.get(caller)! }));
    return admitted(identity, rule, party, request);
  }

  /**
   * A batch call's items, each admitted as its own call would be, or the error that refuses it alone. The call as
   * a whole is refused only for what concerns all its items: the caller, and parties that are not one per item.
   */
  function admitBatch(caller: string, rule: CallRule, metadata: Metadata, items: unknown[]): Array<Admission | Error> {
    const identity = allowedCaller(caller, rule);
    const token = metadata.get(ACTING_PARTIES_KEY)[0];
    const parties: Array<ActingParty | undefined> =
      token === undefined
        ? items.map(() => undefined)
        : verified(() => verifyActingParties(String(token), { caller, key: keys.get(caller)! }));
    if (parties.length !== items.length) {
      throw unauthenticated("ACTING_PARTY_INVALID", PARTIES_MISMATCHED, {
        metadata: { why: `${parties.length} parties for ${items.length} items` },
      });
    }
    return items.map((item, i) => {
      try {
        return admitted(identity, rule, parties[i], item);
      } catch (error) {
        return error as Error;
      }
    });
  }

  return { admit, admitBatch };
}

export type CallGate = ReturnType<typeof createCallGate>;
