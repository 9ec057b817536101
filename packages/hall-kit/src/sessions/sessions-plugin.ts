import fastifyCookie, { type CookieSerializeOptions } from "@fastify/cookie";
import type { ActingParty, PartyKind } from "@omnihall/service-kit";
import type { FastifyInstance, FastifyReply, FastifyRequest, onRequestAsyncHookHandler } from "fastify";
import fp from "fastify-plugin";
import { HALL_ERRORS, type HallError } from "../errors/hall-error.js";
import { SessionRefused, type Session, type SessionTokens } from "./session-tokens.js";

/** How a request carried its session: a bearer header (API clients) or a cookie (browsers). */
export type SessionTransport = "bearer" | "cookie";

declare module "fastify" {
  interface FastifyInstance {
    /** The hall's session tokens: issue, verify, refresh, revoke. */
    sessions: SessionTokens;
  }
  interface FastifyRequest {
    /** The verified session, or null (none, or refused: see `sessionProblem`). */
    session: Session | null;
    /** Why a presented session was refused (expired, revoked, invalid, CSRF token missing). */
    sessionProblem: HallError | null;
    sessionTransport: SessionTransport | null;
  }
}

export interface SessionCookieOptions {
  /**
   * Secure cookies (default true): browsers send them over HTTPS (and to localhost) only. The cookie names then
   * carry the `__Host-` prefix, which browsers accept only for Secure, host-only, Path=/ cookies.
   */
  secure?: boolean;
}

/** The header a browser page sends on every state-changing request of a cookie session. */
export const CSRF_HEADER = "x-csrf-token";
const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

function cookieNames(secure: boolean) {
  const prefix = secure ? "__Host-" : "";
  return { session: `${prefix}omnihall_session`, csrf: `${prefix}omnihall_csrf` };
}

/**
 * Reads the session of every request once, before anything else runs (rate limits key on it), and never throws:
 * a route that needs a session asks with `requireSession`, which answers the recorded problem. Cookie sessions
 * must show the session's CSRF token in the X-CSRF-Token header on every state-changing request (the token is
 * readable by the page from a non-HttpOnly cookie and from the login answer: a signed double submit, bound to
 * the session); bearer tokens need none, as no browser adds them by itself.
 */
export const sessionsPlugin = fp(
  async (app: FastifyInstance, options: { tokens: SessionTokens; cookies?: SessionCookieOptions }) => {
    const secure = options.cookies?.secure ?? true;
    const names = cookieNames(secure);
    // Cookies are parsed only for requests without a bearer token, on demand (hook: false).
    await app.register(fastifyCookie, { hook: false });
    app.decorate("sessions", options.tokens);
    app.decorateRequest("session", null);
    app.decorateRequest("sessionProblem", null);
    app.decorateRequest("sessionTransport", null);

    app.addHook("onRequest", async (request) => {
      const authorization = request.headers.authorization;
      let token: string | undefined;
      if (authorization !== undefined) {
        const [scheme, value] = authorization.split(" ", 2);
        if (scheme?.toLowerCase() !== "bearer" || !value) {
          request.sessionProblem = HALL_ERRORS.sessionInvalid();
          return;
        }
        token = value;
        request.sessionTransport = "bearer";
      } else if (request.headers.cookie) {
        token = app.parseCookie(request.headers.cookie)[names.session];
        if (!token) return;
        request.sessionTransport = "cookie";
      } else {
        return;
      }
      try {
        const session = options.tokens.verify(token);
        if (
          request.sessionTransport === "cookie" &&
          !SAFE_METHODS.has(request.method) &&
          !options.tokens.csrfTokenMatches(session, headerValue(request.headers[CSRF_HEADER]))
        ) {
          request.sessionProblem = HALL_ERRORS.csrfTokenInvalid();
          return;
        }
        request.session = session;
      } catch (error) {
        if (!(error instanceof SessionRefused)) throw error;
        request.sessionProblem = error.hallError;
      }
    });

    const cookieOptions = (expireTime: Date): CookieSerializeOptions => ({
      path: "/",
      secure,
      sameSite: "strict",
      expires: expireTime,
    });

    app.decorateReply("sendSessionCookies", function (this: FastifyReply, session: Session, token: string) {
      this.setCookie(names.session, token, { ...cookieOptions(session.expireTime), httpOnly: true });
      // Readable by the hall's own pages (not HttpOnly) so they can echo it in X-CSRF-Token.
      this.setCookie(names.csrf, options.tokens.csrfTokenOf(session), cookieOptions(session.expireTime));
    });
    app.decorateReply("clearSessionCookies", function (this: FastifyReply) {
      this.clearCookie(names.session, { path: "/", secure, sameSite: "strict", httpOnly: true });
      this.clearCookie(names.csrf, { path: "/", secure, sameSite: "strict" });
    });
  },
  { name: "omnihall-sessions", fastify: "5.x" },
);

declare module "fastify" {
  interface FastifyReply {
    sendSessionCookies(session: Session, token: string): void;
    clearSessionCookies(): void;
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * An onRequest hook for a group of routes: the request must carry a valid session of one of these kinds (any
 * kind when none is named). It runs before body and query validation: without a session nothing else about the
 * request matters.
 */
export function requireSession(...kinds: PartyKind[]): onRequestAsyncHookHandler {
  return async (request) => {
    sessionOf(request, ...kinds);
  };
}

/** The request's session, or the error to answer (401 no/invalid session, 403 CSRF or kind). */
export function sessionOf(request: FastifyRequest, ...kinds: PartyKind[]): Session {
  const session = request.session;
  if (!session) throw request.sessionProblem ?? HALL_ERRORS.sessionRequired();
  if (kinds.length > 0 && !kinds.includes(session.party.kind)) throw HALL_ERRORS.sessionKindNotAllowed();
  return session;
}

/** The logged-in party of a given kind, typed: `partyOf(request, "subscriber").subscriberId`. */
export function partyOf<K extends PartyKind>(request: FastifyRequest, kind: K): Extract<ActingParty, { kind: K }> {
  return sessionOf(request, kind).party as Extract<ActingParty, { kind: K }>;
}

/** What a login (or refresh) answers: the token for API clients, or cookies plus the CSRF token for browsers. */
export interface StartedSession {
  /** Present for bearer sessions only: a cookie session's token never reaches page scripts. */
  token?: string;
  /** Present for cookie sessions: send it as X-CSRF-Token on every POST, PUT, PATCH and DELETE. */
  csrfToken?: string;
  expireTime: string;
}

/** JSON Schema of StartedSession, to spread into a login route's response schema. */
export const startedSessionProperties = {
  token: { type: "string", description: "Bearer token (transport `bearer` only)." },
  csrfToken: { type: "string", description: "CSRF token to send as X-CSRF-Token (transport `cookie` only)." },
  expireTime: { type: "string", format: "date-time" },
} as const;

/** Logs a party in: issues the session and hands it over in the chosen transport. */
export function startSession(
  app: FastifyInstance,
  reply: FastifyReply,
  party: ActingParty,
  transport: SessionTransport,
): StartedSession {
  const { token, session } = app.sessions.issue(party);
  return handOver(app, reply, session, token, transport);
}

function handOver(
  app: FastifyInstance,
  reply: FastifyReply,
  session: Session,
  token: string,
  transport: SessionTransport,
): StartedSession {
  const expireTime = session.expireTime.toISOString();
  if (transport === "bearer") return { token, expireTime };
  reply.sendSessionCookies(session, token);
  return { csrfToken: app.sessions.csrfTokenOf(session), expireTime };
}

/** OpenAPI `security` of a route that needs a session: a bearer token, or the session cookie. */
export const SESSION_SECURITY: Array<Record<string, string[]>> = [{ bearerAuth: [] }, { cookieAuth: [] }];

/** The session routes every hall shares: who am I, refresh, log out. Mount under e.g. /v1/sessions/current. */
export async function sessionRoutes(app: FastifyInstance, options: { tags?: string[] } = {}) {
  const tags = options.tags ?? ["session"];
  const security = SESSION_SECURITY;
  app.addHook("onRequest", requireSession());

  app.get(
    "/",
    {
      schema: {
        summary: "The current session",
        tags,
        security,
        response: {
          200: {
            type: "object",
            properties: {
              kind: { type: "string", enum: ["subscriber", "agent", "operator", "device"] },
              startTime: { type: "string", format: "date-time" },
              expireTime: { type: "string", format: "date-time" },
              csrfToken: { type: "string" },
            },
          },
        },
      },
    },
    async (request) => {
      const session = sessionOf(request);
      return {
        kind: session.party.kind,
        startTime: session.startTime.toISOString(),
        expireTime: session.expireTime.toISOString(),
        ...(request.sessionTransport === "cookie" ? { csrfToken: app.sessions.csrfTokenOf(session) } : {}),
      };
    },
  );

  app.post(
    "/refresh",
    {
      schema: {
        summary: "A new token for this session (same login, later expiry, within the login's maximum lifetime)",
        tags,
        security,
        response: { 200: { type: "object", properties: startedSessionProperties } },
      },
    },
    async (request, reply) => {
      const session = sessionOf(request);
      let refreshed;
      try {
        refreshed = app.sessions.refresh(session);
      } catch (error) {
        throw error instanceof SessionRefused ? error.hallError : error;
      }
      return handOver(app, reply, refreshed.session, refreshed.token, request.sessionTransport ?? "bearer");
    },
  );

  app.delete(
    "/",
    {
      schema: {
        summary: "Log out: this session's tokens are refused from now on, on every instance of the hall",
        tags,
        security,
        response: { 204: { type: "null" } },
      },
    },
    async (request, reply) => {
      await app.sessions.revoke(sessionOf(request));
      if (request.sessionTransport === "cookie") reply.clearSessionCookies();
      return reply.code(204).send();
    },
  );
}
