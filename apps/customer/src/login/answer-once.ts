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
 * Runs one login step for a number exactly once per request id, whether or not the number is a subscriber's (a
 * login must not tell who is one). The step runs in a transaction holding a lock on the number, so every login
 * step of one number takes its turn: wrong codes are counted one by one, and a retry racing its first attempt
 * waits for it and then finds its stored answer instead of acting again. The answer (a response or a refusal)
 * is stored in the same transaction as the step's effects; the primary key on (kind, msisdn, request id) backs
 * this up should the lock ever be bypassed.
 *
 * Returns the answer with the subscriber who has the number, or null when nobody has it.
 */
export async function answerOnce<Response extends Prisma.InputJsonObject>(
  db: CustomerDb,
  key: LoginRequestKey,
  step: (tx: CustomerTx, subscriber: Subscriber | null) => Promise<LoginOutcome<Response>>,
): Promise<{ subscriber: Subscriber | null; outcome: LoginOutcome<Response> }> {
  return inTransaction(db, async (tx) => {
    // A lock on the number itself, not on a subscriber row: numbers nobody has must queue the same way.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`login:${key.msisdn}`}, 0))`;
    const subscriber = await tx.subscriber.findUnique({ where: { msisdn: key.msisdn } });

    const where = { kind_msisdn_requestId: key };
    const earlier = await tx.loginRequest.findUnique({ where });
    if (earlier) return { subscriber, outcome: earlier.outcome as LoginOutcome<Response> };

    const outcome = await step(tx, subscriber);
    await tx.loginRequest.create({ data: { ...key, outcome } });
    return { subscriber, outcome };
  });
}
