import fastifyJwt from "@fastify/jwt";
import type { FastifyInstance, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { HallError } from "./errors.js";

/** What a session token proves: this subscriber logged in with a code sent to this number. */
export interface SubscriberSession {
  subscriberId: string;
  msisdn: string;
}

declare module "@fastify/jwt" {
  interface FastifyJWT {
    payload: { sub: string; msisdn: string };
    user: SubscriberSession;
  }
}

const SESSION_ERRORS: Record<string, HallError> = {
  FST_JWT_NO_AUTHORIZATION_IN_HEADER: new HallError(401, "SESSION_REQUIRED", {
    "zh-CN": "请先登录。",
    en: "Please log in first.",
  }),
  FST_JWT_AUTHORIZATION_TOKEN_EXPIRED: new HallError(401, "SESSION_EXPIRED", {
    "zh-CN": "登录已过期，请重新登录。",
    en: "Your session has expired. Please log in again.",
  }),
};

const SESSION_INVALID = new HallError(401, "SESSION_INVALID", {
  "zh-CN": "登录状态无效，请重新登录。",
  en: "Your session is not valid. Please log in again.",
});

/**
 * Subscriber sessions as signed bearer tokens (HS256) with an expiry. Stateless on purpose: any web hall
 * instance can check a token without a shared store.
 */
export const sessions = fp(
  async (app: FastifyInstance, options: { secret: string; ttlMinutes: number }) => {
    await app.register(fastifyJwt, {
      secret: options.secret,
      sign: { expiresIn: `${options.ttlMinutes}m` },
      formatUser: (payload) => ({ subscriberId: payload.sub, msisdn: payload.msisdn }),
    });
  },
  { name: "omnihall-sessions" },
);

export function issueSession(app: FastifyInstance, session: SubscriberSession): { token: string; expireTime: string } {
  const token = app.jwt.sign({ sub: session.subscriberId, msisdn: session.msisdn });
  const { exp } = app.jwt.decode<{ exp: number }>(token)!;
  return { token, expireTime: new Date(exp * 1000).toISOString() };
}

/** An onRequest hook: the request must carry a valid session; `request.user` is then the subscriber. */
export async function requireSession(request: FastifyRequest): Promise<void> {
  try {
    await request.jwtVerify();
  } catch (error) {
    throw SESSION_ERRORS[(error as { code?: string }).code ?? ""] ?? SESSION_INVALID;
  }
}
