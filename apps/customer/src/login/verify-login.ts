import type { VerifyLoginRequest, VerifyLoginResponse } from "@omnihall/proto/omnihall/customer/v1/customer";
import type { CustomerTx } from "../db.js";
import { loginCodeMalformed, loginRefusalError, msisdnMalformed } from "../errors.js";
import type { Subscriber } from "../generated/prisma/client.js";
import { normalizeMsisdn } from "../subscribers/msisdn.js";
import { subscriberView } from "../subscribers/subscriber-view.js";
import { answerOnce, loginRequestId, type LoginOutcome } from "./answer-once.js";
import type { LoginContext } from "./login-context.js";
import { afterWrongCode, LOGIN_CODE_FORMAT, loginCodeMatches } from "./login-policy.js";

type VerifyLoginAnswer = { subscriberId: string };

/**
 * VerifyLogin: checks a one-time code. A code works once and until it expires; each wrong code counts against
 * the number, and the fifth locks it (and voids its code) for the lockout period, whatever codes come later.
 */
export async function verifyLogin(login: LoginContext, request: VerifyLoginRequest): Promise<VerifyLoginResponse> {
  const requestId = loginRequestId(request.requestId);
  const msisdn = normalizeMsisdn(request.msisdn);
  if (!msisdn) throw msisdnMalformed();
  const code = request.code.trim();
  if (!LOGIN_CODE_FORMAT.test(code)) throw loginCodeMalformed();

  const { subscriber, outcome } = await answerOnce<VerifyLoginAnswer>(
    login.db,
    { kind: "VerifyLogin", msisdn, requestId },
    (tx, subscriber) => checkCode(login, tx, msisdn, subscriber, code),
  );
  if ("refusal" in outcome) throw loginRefusalError(outcome.refusal, login.now());
  // checkCode accepts a code only for a subscriber who has the number.
  return { subscriber: subscriberView(subscriber!) };
}

/**
 * The code is checked before anything about the subscriber is said: a number nobody has answers exactly like a
 * subscriber's, and only whoever holds the phone learns that the number was closed.
 */
async function checkCode(
  login: LoginContext,
  tx: CustomerTx,
  msisdn: string,
  subscriber: Subscriber | null,
  code: string,
): Promise<LoginOutcome<VerifyLoginAnswer>> {
  const now = login.now();
  const guard = await tx.loginGuard.findUnique({ where: { msisdn } });
  if (guard?.lockedUntil && guard.lockedUntil > now) {
    return { refusal: { reason: "LOGIN_LOCKED", unlockTime: guard.lockedUntil.toISOString() } };
  }
  const live = await tx.loginCode.findUnique({ where: { msisdn } });
  if (!live || live.usedAt) return { refusal: { reason: "LOGIN_CODE_MISSING" } };
  if (live.expiresAt <= now) return { refusal: { reason: "LOGIN_CODE_EXPIRED" } };

  // A decoy (see StartLogin) never matches; the subscriber check is there should the number change hands.
  if (!loginCodeMatches(login.secret, msisdn, code, live.codeHash) || live.subscriberId !== subscriber?.id) {
    const next = afterWrongCode(login.policy, guard?.failedAttempts ?? 0, now);
    const counted = { failedAttempts: next.failedAttempts, lockedUntil: next.lockedUntil };
    await tx.loginGuard.upsert({ where: { msisdn }, create: { msisdn, ...counted }, update: counted });
    if (next.lockedUntil) {
      // A code that was being guessed at must not work once the lock lifts.
      await tx.loginCode.delete({ where: { msisdn } });
      return { refusal: { reason: "LOGIN_LOCKED", unlockTime: next.lockedUntil.toISOString() } };
    }
    return { refusal: { reason: "LOGIN_CODE_WRONG", attemptsLeft: next.attemptsLeft } };
  }

  // Suspended subscribers may log in: they can still top up and look at their bills.
  if (subscriber.status === "TERMINATED") return { refusal: { reason: "SUBSCRIBER_INACTIVE" } };
  await tx.loginCode.update({ where: { msisdn }, data: { usedAt: now } });
  if (guard && guard.failedAttempts > 0) {
    await tx.loginGuard.update({ where: { msisdn }, data: { failedAttempts: 0 } });
  }
  return { response: { subscriberId: subscriber.id } };
}
