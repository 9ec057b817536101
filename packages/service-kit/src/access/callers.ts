import { KNOWN_CALLERS } from "@omnihall/config";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import type { PartyKind } from "./acting-party.js";

export type KnownCaller = (typeof KNOWN_CALLERS)[number];

/** What a caller is, beyond its key: the hall it is (its channel), and whom it may act for. */
export interface CallerIdentity {
  /**
   * The channel every call of this caller comes through. Halls have one and cannot claim another; domain services
   * and the platform have none and pass on the channel of the work they do (an order's channel to its charge).
   */
  channel?: Channel;
  /** The kinds of acting party this caller may assert; a hall must name one on every call not open to anonymous. */
  parties: readonly PartyKind[];
}

/**
 * The one table of who each caller is. A hall that logs subscribers in may act for a subscriber; the kiosk also
 * for itself (a device, before anyone is identified); the mini hall for its field agents; the ops console for
 * operations staff. Domain services act for nobody: they are trusted with the work they were asked to do.
 */
export const CALLER_IDENTITIES: Readonly<Record<KnownCaller, CallerIdentity>> = {
  "web-hall": { channel: Channel.CHANNEL_WEB_HALL, parties: ["subscriber"] },
  "sms-hall": { channel: Channel.CHANNEL_SMS_HALL, parties: ["subscriber"] },
  kiosk: { channel: Channel.CHANNEL_KIOSK, parties: ["device", "subscriber"] },
  "mini-hall": { channel: Channel.CHANNEL_MINI_HALL, parties: ["agent"] },
  "ops-console": { channel: Channel.CHANNEL_OPS_CONSOLE, parties: ["operator"] },
  platform: { parties: [] },
  customer: { parties: [] },
  catalog: { parties: [] },
  orders: { parties: [] },
  billing: { parties: [] },
  usage: { parties: [] },
  notify: { parties: [] },
  campaigns: { parties: [] },
};

/** Caller groups, so policies read like the business. */
export const SUBSCRIBER_HALLS = ["web-hall", "sms-hall", "kiosk", "mini-hall"] as const satisfies KnownCaller[];
export const HALLS = [...SUBSCRIBER_HALLS, "ops-console"] as const satisfies KnownCaller[];

/** A caller outside the table has no channel and acts for nobody; no policy names it, so every RPC refuses it. */
export function identityOf(caller: string): CallerIdentity {
  return (CALLER_IDENTITIES as Record<string, CallerIdentity | undefined>)[caller] ?? { parties: [] };
}

export function isHall(caller: string): boolean {
  return identityOf(caller).channel !== undefined;
}
