import type { Prisma, Subscriber } from "../generated/prisma/client.js";
import { inTransaction, type CustomerDb, type CustomerTx } from "../db.js";
import { requestIdRequired, type LoginRefusal } from "../errors.js";

/** The first answer to a login request, as stored for its retries. */
export type LoginOutcome<Response> = { response: Response } | { refusal: LoginRefusal };

const MAX_REQUEST_ID_LENGTH = 128;

/** The request id of a login step: required, since it is what makes a retry safe, and of a sane length. */
export function loginRequestId(raw: string): string {
  const requestId = raw.trim();
  if (requestId === "" || requestId.length > MAX_REQUEST_ID_LENGTH) throw requestIdRequired();
  return requestId;
}

export interface LoginRequestKey {
  kind: "StartLogin" | "VerifyLogin";
  msisdn: string;
  requestId: string;
}

/**
 * Runs one login step for a number exactly once per request id. The step runs in a transaction holding the
 * subscriber's row lock, so every login step of one number takes its turn: wrong codes are counted one by one,
 * and a retry racing its first attempt waits for it and then finds its stored answer instead of acting again.
 * The answer (a response or a refusal) is stored in the same transaction as the step's effects; the primary
 * key on (kind, msisdn, request id) backs this up should the lock ever be bypassed.
 *
 * Returns the (locked) subscriber with the answer, or undefined, storing nothing, when no subscriber has the number: there is nothing to lock or change.
 */
export async function answerOnce<Response extends Prisma.InputJsonObject>(
  db: CustomerDb,
  key: LoginRequestKey,
  step: (tx: CustomerTx, subscriber: Subscriber) => Promise<LoginOutcome<Response>>,
): Promise<{ subscriber: Subscriber; outcome: LoginOutcome<Response> } | undefined> {
  return inTransaction(db, async (tx) => {
    await tx.$queryRaw`SELECT 1 FROM subscriber WHERE msisdn = ${key.msisdn} FOR NO KEY UPDATE`;
    const subscriber = await tx.subscriber.findUnique({ where: { msisdn: key.msisdn } });
    if (!subscriber) return undefined;

    const where = { kind_msisdn_requestId: key };
    const earlier = await tx.loginRequest.findUnique({ where });
    if (earlier) return { subscriber, outcome: earlier.outcome as LoginOutcome<Response> };

    const outcome = await step(tx, subscriber);
    await tx.loginRequest.create({ data: { ...key, outcome } });
    return { subscriber, outcome };
  });
}
