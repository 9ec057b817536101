import { createHmac, randomBytes, randomInt, timingSafeEqual } from "node:crypto";

/** The login rules every hall shares: how long a code lives, how often one may be sent, when a number locks. */
export interface LoginPolicy {
  codeTtlMs: number;
  resendIntervalMs: number;
  maxFailedAttempts: number;
  lockoutMs: number;
}

export const DEFAULT_LOGIN_POLICY: LoginPolicy = {
  codeTtlMs: 5 * 60_000,
  resendIntervalMs: 60_000,
  maxFailedAttempts: 5,
  lockoutMs: 15 * 60_000,
};

export const LOGIN_CODE_FORMAT = /^\d{6}$/;

/** A uniformly random six-digit code (leading zeros allowed). */
export function newLoginCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, "0");
}

/**
 * Codes are stored only as an HMAC keyed by a server secret and bound to the number, so a database dump does not
 * hand out live codes.
 */
export function hashLoginCode(secret: string, msisdn: string, code: string): string {
  return createHmac("sha256", secret).update(`${msisdn}:${code}`).digest("hex");
}

/**
 * A stored hash no code can match (its preimage is 32 random bytes, not a six-digit code): the decoy a number that
 * cannot log in gets, shaped like a real one.
 */
export function unmatchableCodeHash(): string {
  return createHmac("sha256", randomBytes(32)).update(randomBytes(32)).digest("hex");
}

export function loginCodeMatches(secret: string, msisdn: string, code: string, storedHash: string): boolean {
  const candidate = Buffer.from(hashLoginCode(secret, msisdn, code), "hex");
  const stored = Buffer.from(storedHash, "hex");
  return candidate.length === stored.length && timingSafeEqual(candidate, stored);
}

/** After one more wrong code: the new count and, when it reaches the limit, the end of the lockout. */
export function afterWrongCode(policy: LoginPolicy, failedAttempts: number, now: Date) {
  const attempts = failedAttempts + 1;
  const lockedUntil = attempts >= policy.maxFailedAttempts ? new Date(now.getTime() + policy.lockoutMs) : null;
  return { failedAttempts: lockedUntil ? 0 : attempts, lockedUntil, attemptsLeft: policy.maxFailedAttempts - attempts };
}
