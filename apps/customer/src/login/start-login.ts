import { enqueue, REQUEST_ID_HEADER } from "@omnihall/bus";
import type { StartLoginRequest, StartLoginResponse } from "@omnihall/proto/omnihall/customer/v1/customer";
import { seal } from "@omnihall/sealed-box";
import type { CallContext } from "@omnihall/service-kit";
import { loginRefusalError, msisdnMalformed } from "../errors.js";
import { normalizeMsisdn } from "../subscribers/msisdn.js";
import { answerOnce, loginRequestId, type LoginOutcome } from "./answer-once.js";
import type { LoginContext } from "./login-context.js";
import { LoginCodeIssued, loginCodeContext } from "./login-events.js";
import { hashLoginCode, newLoginCode, unmatchableCodeHash } from "./login-policy.js";

type StartLoginAnswer = { expireTime: string; resendTime: string };

/**
 * StartLogin: issues a fresh one-time code for a number, replacing any earlier one, and publishes it (through
 * the outbox, in the same transaction) for the notification service to send. Only the code's HMAC is stored,
 * and the event carries the code sealed to the notification service: nothing kept on the way can read it.
 *
 * Every well-formed number gets the same answer, under the same resend and lockout rules, so the call cannot be
 * used to find out who is a subscriber (or whose number was closed). A number that cannot log in gets a decoy:
 * a stored code nobody is sent and no code can match, so VerifyLogin then answers it as it answers a subscriber
 * who typed a wrong code.
 */
export async function startLogin(
  login: LoginContext,
  request: StartLoginRequest,
  ctx: CallContext,
): Promise<StartLoginResponse> {
  const requestId = loginRequestId(request.requestId);
  const msisdn = normalizeMsisdn(request.msisdn);
  if (!msisdn) throw msisdnMalformed();

  // Set only when this call issued a code (not on a retry's replay), for the development log.
  let issuedCode: string | undefined;
  const { outcome } = await answerOnce<StartLoginAnswer>(
    login.db,
    { kind: "StartLogin", msisdn, requestId },
    async (tx, subscriber): Promise<LoginOutcome<StartLoginAnswer>> => {
      const now = login.now();
      const guard = await tx.loginGuard.findUnique({ where: { msisdn } });
      if (guard?.lockedUntil && guard.lockedUntil > now) {
        return { refusal: { reason: "LOGIN_LOCKED", unlockTime: guard.lockedUntil.toISOString() } };
      }
      const previous = await tx.loginCode.findUnique({ where: { msisdn } });
      if (previous) {
        const resendTime = new Date(previous.issuedAt.getTime() + login.policy.resendIntervalMs);
        if (resendTime > now)
          return { refusal: { reason: "LOGIN_CODE_TOO_SOON", resendTime: resendTime.toISOString() } };
      }

      // Suspended subscribers may log in (they can still top up and see their bills); closed numbers may not.
      const recipient = subscriber && subscriber.status !== "TERMINATED" ? subscriber : undefined;
      const code = newLoginCode();
      const expireTime = new Date(now.getTime() + login.policy.codeTtlMs);
      const stored = {
        subscriberId: recipient?.id ?? "",
        codeHash: recipient ? hashLoginCode(login.secret, msisdn, code) : unmatchableCodeHash(),
        issuedAt: now,
        expiresAt: expireTime,
        usedAt: null,
      };
      await tx.loginCode.upsert({ where: { msisdn }, create: { msisdn, ...stored }, update: stored });
      if (recipient) {
        await enqueue(
          tx,
          LoginCodeIssued,
          {
            subscriberId: recipient.id,
            msisdn,
            code: "",
            sealedCode: Buffer.from(seal(login.notifyPublicKey, code, loginCodeContext(msisdn))),
            expireTime,
            channel: request.channel,
            languageCode: recipient.languageCode,
          },
          { headers: { [REQUEST_ID_HEADER]: ctx.requestId } },
        );
        issuedCode = code;
      }
      const resendTime = new Date(now.getTime() + login.policy.resendIntervalMs);
      return { response: { expireTime: expireTime.toISOString(), resendTime: resendTime.toISOString() } };
    },
  );

  if ("refusal" in outcome) throw loginRefusalError(outcome.refusal, login.now());
  if (issuedCode !== undefined && login.logCodes) {
    ctx.log.info({ msisdn, code: issuedCode }, "login code issued (development)");
  }
  return { expireTime: new Date(outcome.response.expireTime), resendTime: new Date(outcome.response.resendTime) };
}
