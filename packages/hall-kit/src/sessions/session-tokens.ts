import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import type { ActingParty, PartyKind } from "@omnihall/service-kit";
import { createSigner, createVerifier, TokenError } from "fast-jwt";
import { HALL_ERRORS, type HallError } from "../errors/hall-error.js";
import type { SessionRevocations } from "./revocations.js";

/** Someone (or some device) logged in at a hall, as proved by a verified session token. */
export interface Session<P extends ActingParty = ActingParty> {
  /** Random id shared by every token of one login (refresh keeps it); what logout revokes. */
  sessionId: string;
  party: P;
  /** When the person logged in: no refresh extends a session beyond this plus the maximum lifetime. */
  startTime: Date;
  /** When this token stops being accepted. */
  expireTime: Date;
}

/** A freshly signed session. */
export interface IssuedSession<P extends ActingParty = ActingParty> {
  token: string;
  session: Session<P>;
}

export interface SessionTokensOptions {
  /** HMAC key (config SESSION_SECRET). */
  secret: string;
  /** The hall that issues and accepts these tokens (JWT `iss`): a token of another hall is refused. */
  issuer: string;
  /** The kinds of party this hall logs in; a token naming another kind is refused. */
  kinds: readonly PartyKind[];
  /** Lifetime of one token; per kind if kinds differ (a kiosk device stays logged in longer than a person). */
  ttlSeconds: number | Partial<Record<PartyKind, number>>;
  /** The longest a login lasts however often it is refreshed. */
  maxLifetimeSeconds: number;
  /** Where logouts are kept, so that every hall instance refuses a revoked session. */
  revocations: SessionRevocations;
}

interface Claims {
  sid: string;
  /** Login time in milliseconds: "log out everywhere" refuses sessions started before it, to the millisecond. */
  sat: number;
  party: ActingParty;
  iat: number;
  exp: number;
}

/** Refused tokens, as the errors a person sees. */
export class SessionRefused extends Error {
  constructor(readonly hallError: HallError) {
    super(hallError.reason);
  }
}

const DEFAULT_TTL_SECONDS = 30 * 60;

/**
 * Session tokens: JWTs signed with HS256 and nothing else (a token claiming HS512, RS256 or `none` is refused
 * before its signature is even looked at), each with a required expiry, session id and login time. Stateless to
 * verify, plus one in-memory look-up in the revocation list that every instance keeps current.
 */
export class SessionTokens {
  readonly #sign: (payload: Record<string, unknown>) => string;
  readonly #verify: (token: string) => Claims;
  readonly #csrfKey: Buffer;
  readonly #kinds: ReadonlySet<PartyKind>;

  constructor(readonly options: SessionTokensOptions) {
    if (Buffer.byteLength(options.secret) < 32) throw new Error("the session secret must be at least 32 bytes");
    this.#sign = createSigner({ key: options.secret, algorithm: "HS256", iss: options.issuer });
    this.#verify = createVerifier({
      key: options.secret,
      algorithms: ["HS256"],
      allowedIss: options.issuer,
      requiredClaims: ["exp", "iat", "sid", "sat", "party"],
      // Verified tokens are cached (up to their expiry): a hall checks the same token on every request.
      cache: 10_000,
    }) as (token: string) => Claims;
    // A key of its own for CSRF tokens, so a CSRF token is never a valid signature of anything else.
    this.#csrfKey = createHmac("sha256", options.secret).update("omnihall-csrf-v1").digest();
    this.#kinds = new Set(options.kinds);
  }

  ttlSecondsOf(kind: PartyKind): number {
    const { ttlSeconds } = this.options;
    return typeof ttlSeconds === "number" ? ttlSeconds : (ttlSeconds[kind] ?? DEFAULT_TTL_SECONDS);
  }

  /** Signs a new session for a party that just proved who it is (SMS code, agent PIN, device registration). */
  issue<P extends ActingParty>(party: P, now = new Date()): IssuedSession<P> {
    if (!this.#kinds.has(party.kind)) throw new Error(`${this.options.issuer} does not log in a ${party.kind}`);
    return this.#signed(randomBytes(16).toString("base64url"), party, now.getTime(), now);
  }

  /**
   * A new token for a valid session: same session id and login time, a new expiry, never beyond the login's
   * maximum lifetime. An expired or revoked session cannot be refreshed: the person logs in again.
   */
  refresh<P extends ActingParty>(session: Session<P>, now = new Date()): IssuedSession<P> {
    const end = session.startTime.getTime() + this.options.maxLifetimeSeconds * 1000;
    if (end <= now.getTime() + 1000) throw new SessionRefused(HALL_ERRORS.sessionExpired());
    return this.#signed(session.sessionId, session.party, session.startTime.getTime(), now);
  }

  #signed<P extends ActingParty>(sessionId: string, party: P, startMs: number, now: Date): IssuedSession<P> {
    const iat = Math.floor(now.getTime() / 1000);
    const end = Math.floor((startMs + this.options.maxLifetimeSeconds * 1000) / 1000);
    const exp = Math.min(iat + this.ttlSecondsOf(party.kind), end);
    const token = this.#sign({ sid: sessionId, sat: startMs, party, iat, exp });
    return {
      token,
      session: { sessionId, party, startTime: new Date(startMs), expireTime: new Date(exp * 1000) },
    };
  }

  /** The session a token proves, or SessionRefused (SESSION_EXPIRED, SESSION_REVOKED, SESSION_INVALID). */
  verify(token: string): Session {
    let claims: Claims;
    try {
      claims = this.#verify(token);
    } catch (error) {
      const expired = error instanceof TokenError && error.code === TokenError.codes.expired;
      throw new SessionRefused(expired ? HALL_ERRORS.sessionExpired() : HALL_ERRORS.sessionInvalid());
    }
    const { sid, sat, party } = claims;
    if (
      typeof sid !== "string" ||
      !Number.isInteger(sat) ||
      typeof party !== "object" ||
      party === null ||
      !this.#kinds.has(party.kind)
    ) {
      throw new SessionRefused(HALL_ERRORS.sessionInvalid());
    }
    if (this.options.revocations.isRevoked(sid, party, sat)) throw new SessionRefused(HALL_ERRORS.sessionRevoked());
    return { sessionId: sid, party, startTime: new Date(sat), expireTime: new Date(claims.exp * 1000) };
  }

  /** Logout: every token of this session is refused from now on, on every hall instance. */
  async revoke(session: Session): Promise<void> {
    const until = new Date(session.startTime.getTime() + this.options.maxLifetimeSeconds * 1000);
    await this.options.revocations.revokeSession(session.sessionId, until);
  }

  /** "Log out everywhere" (lost phone, agent leaving): every session of this party started before now is refused. */
  async revokeParty(party: ActingParty, now = new Date()): Promise<void> {
    await this.options.revocations.revokeParty(party, now);
  }

  /** The CSRF token of a cookie session: bound to the session, so it is worthless for any other session. */
  csrfTokenOf(session: Session): string {
    return createHmac("sha256", this.#csrfKey).update(session.sessionId).digest("base64url");
  }

  csrfTokenMatches(session: Session, presented: string | undefined): boolean {
    if (!presented) return false;
    const expected = Buffer.from(this.csrfTokenOf(session));
    const given = Buffer.from(presented);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}
