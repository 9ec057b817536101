import type { NotifyTx } from "../db.js";

/**
 * Serialises a subscriber's opt-out with marketing sends to them. A marketing send holds the shared lock from its
 * consent check until the SMS is submitted; an opt-out takes the exclusive lock before it records, so once OptOut
 * has answered no marketing SMS goes out to that subscriber — not even one whose check had already passed.
 * Transaction-scoped: released on commit or rollback.
 */
export async function lockConsentShared(tx: NotifyTx, subscriberId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock_shared(hashtextextended(${`consent:${subscriberId}`}, 0))`;
}

export async function lockConsentExclusive(tx: NotifyTx, subscriberId: string): Promise<void> {
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtextextended(${`consent:${subscriberId}`}, 0))`;
}
