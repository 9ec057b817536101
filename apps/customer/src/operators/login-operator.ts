import { hasIdShape } from "@omnihall/ids";
import type {
  GetOperatorRequest,
  GetOperatorResponse,
  LoginOperatorRequest,
  LoginOperatorResponse,
} from "@omnihall/proto/omnihall/customer/v1/operator";
import {
  NATIONAL_SCOPE,
  permissionDenied,
  requestIdReused,
  type CallContext,
  type DomainError,
} from "@omnihall/service-kit";
import { inTransaction, type CustomerDb } from "../db.js";
import { requestIdRequired } from "../errors.js";
import type { Prisma } from "../generated/prisma/client.js";
// Passwords are hashed like agents' PINs (salted scrypt, parameters stored with the hash): one hashing in one place.
import { DECOY_PIN_HASH, pinMatches } from "../agents/pin-hash.js";
import { OperatorErrors } from "./operator-errors.js";
import { operatorView } from "./operator-view.js";

export const MAX_PASSWORD_ATTEMPTS = 5;
const PASSWORD_LENGTH = { min: 8, max: 128 } as const;

export interface OperatorContext {
  db: CustomerDb;
  now: () => Date;
}

type Outcome = { operatorId: string } | { refusal: "WRONG"; attemptsLeft: number } | { refusal: "LOCKED" | "INACTIVE" };

/** What operator_request keeps of an answer: the answer, and whether it was given to the right password. */
type Recorded = Outcome & { passwordRight: boolean };

/**
 * LoginOperator. The password is checked (slowly, scrypt) before any transaction, then the answer is applied under a
 * lock on the operator's row: wrong passwords count one by one even when they race, and a retry with the same
 * request id finds the first answer instead of counting again. A first answer given to the right password (a
 * session!) is never given to another password under the same request id: that one is counted as wrong and refused
 * as a reused id (as LoginAgent does). A refusal is given again whatever comes with it, and counts nothing.
 */
export async function loginOperator(
  ctx: OperatorContext,
  request: LoginOperatorRequest,
): Promise<LoginOperatorResponse> {
  const requestId = request.requestId.trim();
  if (requestId === "" || requestId.length > 128) throw requestIdRequired();
  if (!hasIdShape(request.operatorId, "opr")) throw OperatorErrors.operatorIdMalformed();
  if (request.password.length < PASSWORD_LENGTH.min || request.password.length > PASSWORD_LENGTH.max) {
    throw OperatorErrors.passwordMalformed();
  }

  const stored = await ctx.db.operator.findUnique({ where: { id: request.operatorId } });
  const passwordRight = await pinMatches(request.password, stored?.passwordHash ?? DECOY_PIN_HASH);

  const outcome = await inTransaction(ctx.db, async (tx): Promise<Outcome | "REUSED"> => {
    const key = { operatorId: request.operatorId, requestId };
    const earlier = await tx.operatorRequest.findUnique({ where: { operatorId_requestId: key } });
    const recorded = earlier?.outcome as Recorded | undefined;
    if (recorded && !(recorded.passwordRight && !passwordRight)) return recorded;
    const [operator] = await tx.$queryRaw<Array<{ status: string; failed_password_attempts: number }>>`
      SELECT status, failed_password_attempts FROM operator WHERE id = ${request.operatorId} FOR UPDATE`;
    let answer: Outcome;
    if (!operator) {
      // Unknown ids answer like a wrong password with every attempt left: nothing to count, nothing learned.
      answer = { refusal: "WRONG", attemptsLeft: MAX_PASSWORD_ATTEMPTS };
    } else if (operator.status === "LOCKED") {
      answer = { refusal: "LOCKED" };
    } else if (!passwordRight) {
      const failed = operator.failed_password_attempts + 1;
      const locks = failed >= MAX_PASSWORD_ATTEMPTS;
      await tx.operator.update({
        where: { id: request.operatorId },
        data: { failedPasswordAttempts: failed, status: locks ? "LOCKED" : operator.status, updatedAt: ctx.now() },
      });
      answer = locks ? { refusal: "LOCKED" } : { refusal: "WRONG", attemptsLeft: MAX_PASSWORD_ATTEMPTS - failed };
    } else if (operator.status !== "ACTIVE") {
      // Said only for the right password: whoever guesses does not learn the account is closed.
      answer = { refusal: "INACTIVE" };
    } else {
      if (operator.failed_password_attempts > 0) {
        await tx.operator.update({
          where: { id: request.operatorId },
          data: { failedPasswordAttempts: 0, updatedAt: ctx.now() },
        });
      }
      answer = { operatorId: request.operatorId };
    }
    // A wrong password under the id of an earlier right one was counted above; the first answer stays recorded.
    if (recorded) return "REUSED";
    const record: Recorded = { ...answer, passwordRight };
    await tx.operatorRequest.create({ data: { ...key, outcome: record as Prisma.InputJsonObject } });
    return answer;
  });

  if (outcome === "REUSED") throw requestIdReused();
  if ("refusal" in outcome) throw refusalError(outcome);
  const operator = await ctx.db.operator.findUniqueOrThrow({ where: { id: outcome.operatorId } });
  return { operator: operatorView(operator) };
}

function refusalError(outcome: Exclude<Outcome, { operatorId: string }>): DomainError {
  switch (outcome.refusal) {
    case "WRONG":
      return OperatorErrors.credentialsWrong(outcome.attemptsLeft);
    case "LOCKED":
      return OperatorErrors.locked();
    case "INACTIVE":
      return OperatorErrors.inactive();
  }
}

/** GetOperator: an operator reads themselves, HQ staff anyone; for anybody else every id looks the same. */
export async function getOperator(
  ctx: OperatorContext,
  request: GetOperatorRequest,
  call: Pick<CallContext, "party">,
): Promise<GetOperatorResponse> {
  if (!hasIdShape(request.operatorId, "opr")) throw OperatorErrors.operatorIdMalformed();
  const party = call.party;
  const mayRead =
    !party ||
    (party.kind === "operator" && (party.operatorId === request.operatorId || party.provinceScope === NATIONAL_SCOPE));
  if (!mayRead) {
    throw permissionDenied("OUTSIDE_PARTY_SCOPE", {
      "zh-CN": "无权查看该运营人员。",
      en: "You may not read this operator.",
    });
  }
  const operator = await ctx.db.operator.findUnique({ where: { id: request.operatorId } });
  if (!operator) throw OperatorErrors.notFound();
  return { operator: operatorView(operator) };
}
