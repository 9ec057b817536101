import { createHmac, hkdfSync, timingSafeEqual } from "node:crypto";

/**
 * The person or device a hall acts for on a call, sent signed in the `x-omnihall-acting-party` metadata. The hall
 * vouches for it (it logged the subscriber in, checked the agent's PIN…); the service checks the signature, the
 * expiry and that this caller may assert this kind of party, then enforces the party's scope.
 */
export type ActingParty = SubscriberParty | AgentParty | OperatorParty | DeviceParty;
export type PartyKind = ActingParty["kind"];

/** A subscriber who proved their number (SMS code), optionally at a kiosk. */
export interface SubscriberParty {
  kind: "subscriber";
  subscriberId: string;
  msisdn: string;
  /** The kiosk the subscriber identified at, if any. */
  deviceId?: string;
}

/** Where a field agent or an operator may work: a province, optionally narrowed to a city and an area. */
export interface Territory {
  provinceCode: string;
  city?: string;
  area?: string;
}

/** A field agent on a registered handheld: may serve subscribers inside their territory only. */
export interface AgentParty {
  kind: "agent";
  agentId: string;
  deviceId?: string;
  territory: Territory;
}

export const OPERATOR_ROLES = ["author", "approver", "viewer", "support"] as const;
export type OperatorRole = (typeof OPERATOR_ROLES)[number];
/** The province scope of group HQ staff: the whole country. */
export const NATIONAL_SCOPE = "*";

/** Operations staff: group HQ (province scope "*") or one province's. */
export interface OperatorParty {
  kind: "operator";
  operatorId: string;
  roles: OperatorRole[];
  /** A province code, or NATIONAL_SCOPE for group HQ. */
  provinceScope: string;
}

/** A self-service terminal in a shop, before (or without) anyone identifying at it. */
export interface DeviceParty {
  kind: "device";
  deviceId: string;
  shopId: string;
  provinceCode: string;
}

/** Metadata key of the signed acting party. */
export const ACTING_PARTY_KEY = "x-omnihall-acting-party";
/** Metadata key of a batch call's signed parties, one per item (see signActingParties). */
export const ACTING_PARTIES_KEY = "x-omnihall-acting-parties";
/** Items of one batch call at most, so its parties fit the call's headers (each party is ~120 bytes signed). */
export const MAX_BATCH_ITEMS = 100;
/** A party assertion is short-lived: a stolen one is soon worthless. Halls sign one per call. */
export const ACTING_PARTY_MAX_TTL_SECONDS = 300;
const DEFAULT_TTL_SECONDS = 60;
const CLOCK_SKEW_SECONDS = 30;
/** The one format and algorithm: "v1" = HMAC-SHA256 over the payload, nothing negotiable in the token. */
const VERSION = "v1";
const MAX_TOKEN_LENGTH = 4096;
/** A batch's token: MAX_BATCH_ITEMS parties of the longest kind, with room to spare. */
const MAX_BATCH_TOKEN_LENGTH = 64 * 1024;

interface Claims {
  /** The caller that signed it; must be the caller presenting it. */
  iss: string;
  iat: number;
  exp: number;
  /** One party (x-omnihall-acting-party) … */
  party?: ActingParty;
  /** … or one per item of a batch call (x-omnihall-acting-parties), in the items' order; null: nobody. */
  parties?: Array<ActingParty | null>;
}

/**
 * The signing key is derived from the caller's own key, so no second secret has to be distributed, and a party
 * one hall signed is worthless in another hall's hands.
 */
export function actingPartyKey(callerKey: string): Buffer {
  return Buffer.from(hkdfSync("sha256", callerKey, "omnihall", "acting-party-v1", 32));
}

export interface SignOptions {
  caller: string;
  key: Buffer;
  ttlSeconds?: number;
  now?: Date;
}

export function signActingParty(party: ActingParty, options: SignOptions): string {
  return sign({ party }, options);
}

/**
 * The parties of a batch call, one per item in the items' order, signed as one token: what each item's own call
 * would carry in x-omnihall-acting-party, for one signature and one check.
 */
export function signActingParties(parties: Array<ActingParty | undefined>, options: SignOptions): string {
  return sign({ parties: parties.map((party) => party ?? null) }, options);
}

function sign(subject: Pick<Claims, "party" | "parties">, options: SignOptions): string {
  const iat = Math.floor((options.now ?? new Date()).getTime() / 1000);
  const ttl = Math.min(options.ttlSeconds ?? DEFAULT_TTL_SECONDS, ACTING_PARTY_MAX_TTL_SECONDS);
  const claims: Claims = { iss: options.caller, iat, exp: iat + ttl, ...subject };
  const payload = Buffer.from(JSON.stringify(claims)).toString("base64url");
  const signature = createHmac("sha256", options.key).update(`${VERSION}.${payload}`).digest("base64url");
  return `${VERSION}.${payload}.${signature}`;
}

/** Why a presented party was refused; the kit turns it into UNAUTHENTICATED ACTING_PARTY_INVALID. */
export class ActingPartyRejected extends Error {}

const TEXT = /^[\w.:@+-]{1,128}$/;
const text = (value: unknown): value is string => typeof value === "string" && TEXT.test(value);
const optionalText = (value: unknown) => value === undefined || text(value);
/** Cities and areas are named as people write them (the customer service stores "深圳"), not as ids. */
const PLACE = /^[\p{L}\p{N}][\p{L}\p{N} .·'-]{0,63}$/u;
const optionalPlace = (value: unknown) => value === undefined || (typeof value === "string" && PLACE.test(value));

function validParty(party: unknown): party is ActingParty {
  if (typeof party !== "object" || party === null) return false;
  const p = party as Record<string, unknown>;
  switch (p.kind) {
    case "subscriber":
      // An empty id: a subscriber known so far only by the number the network authenticated (the SMS hall, before
      // it has looked the number up). Such a party may look up its own number and reach nobody's data.
      return (p.subscriberId === "" || text(p.subscriberId)) && text(p.msisdn) && optionalText(p.deviceId);
    case "agent": {
      const t = p.territory as Record<string, unknown> | undefined;
      return (
        text(p.agentId) &&
        optionalText(p.deviceId) &&
        typeof t === "object" &&
        t !== null &&
        text(t.provinceCode) &&
        optionalPlace(t.city) &&
        optionalPlace(t.area)
      );
    }
    case "operator":
      return (
        text(p.operatorId) &&
        (p.provinceScope === NATIONAL_SCOPE || text(p.provinceScope)) &&
        Array.isArray(p.roles) &&
        p.roles.every((role) => (OPERATOR_ROLES as readonly unknown[]).includes(role))
      );
    case "device":
      return text(p.deviceId) && text(p.shopId) && text(p.provinceCode);
    default:
      return false;
  }
}

interface VerifyOptions {
  caller: string;
  key: Buffer;
  now?: Date;
}

/** Checks a token presented by `caller` (authenticated by its key) and returns the party it names. */
export function verifyActingParty(token: string, options: VerifyOptions): ActingParty {
  const claims = verify(token, MAX_TOKEN_LENGTH, options);
  if (!validParty(claims.party) || claims.parties !== undefined) throw new ActingPartyRejected("malformed party");
  return claims.party;
}

/** Checks a batch call's token (see signActingParties) and returns its parties, in order. */
export function verifyActingParties(token: string, options: VerifyOptions): Array<ActingParty | undefined> {
  const claims = verify(token, MAX_BATCH_TOKEN_LENGTH, options);
  const { parties } = claims;
  if (claims.party !== undefined || !Array.isArray(parties) || parties.length > MAX_BATCH_ITEMS) {
    throw new ActingPartyRejected("malformed parties");
  }
  if (!parties.every((party) => party === null || validParty(party))) throw new ActingPartyRejected("malformed party");
  return parties.map((party) => party ?? undefined);
}

/** The signature, issuer and lifetime of a token; what it names is the caller's to check. */
function verify(token: string, maxLength: number, options: VerifyOptions): Claims {
  if (token.length > maxLength) throw new ActingPartyRejected("token too long");
  const [version, payload, signature, ...rest] = token.split(".");
  if (version !== VERSION || !payload || !signature || rest.length > 0) throw new ActingPartyRejected("malformed");
  const expected = createHmac("sha256", options.key).update(`${VERSION}.${payload}`).digest();
  const presented = Buffer.from(signature, "base64url");
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) {
    throw new ActingPartyRejected("bad signature");
  }
  let claims: Claims;
  try {
    claims = JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as Claims;
  } catch {
    throw new ActingPartyRejected("malformed payload");
  }
  if (typeof claims !== "object" || claims === null) throw new ActingPartyRejected("malformed payload");
  const now = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (claims.iss !== options.caller) throw new ActingPartyRejected("signed by another caller");
  if (!Number.isInteger(claims.iat) || !Number.isInteger(claims.exp)) throw new ActingPartyRejected("no expiry");
  if (claims.exp - claims.iat > ACTING_PARTY_MAX_TTL_SECONDS) throw new ActingPartyRejected("lives too long");
  if (claims.iat > now + CLOCK_SKEW_SECONDS) throw new ActingPartyRejected("issued in the future");
  if (claims.exp + CLOCK_SKEW_SECONDS < now) throw new ActingPartyRejected("expired");
  return claims;
}

/** A short description for logs and traces: kind and id, never more personal data. */
export function describeParty(party: ActingParty): { kind: PartyKind; id: string } {
  switch (party.kind) {
    case "subscriber":
      return { kind: party.kind, id: party.subscriberId };
    case "agent":
      return { kind: party.kind, id: party.agentId };
    case "operator":
      return { kind: party.kind, id: party.operatorId };
    case "device":
      return { kind: party.kind, id: party.deviceId };
  }
}
