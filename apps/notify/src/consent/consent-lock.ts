import type { NotifyTx } from "../db.js";

/**
 * Serialises a subscriber's opt-out with marketing consent checks. A check holds the shared lock while it reads
 * the consent and marks the message as being submitted (delivery/marketing-submits); an opt-out takes the
 * exclusive lock before it records, then waits for the marked messages, so once OptOut has answered no
 * marketing SMS goes out to that subscriber — not even one whose check had already passed. Transaction-scoped:
 * released on commit or rollback, never held while an SMS is submitted.
 */
export async function lockConsentShared(tx: NotifyTx, subscriberId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock_shared(hashtextextended(${`consent:${subscriberId}`}, 0))`;
}

export async function lockConsentExclusive(tx: NotifyTx, subscriberId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`consent:${subscriberId}`}, 0))`;
}
