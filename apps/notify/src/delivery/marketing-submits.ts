import type { NotifyDb, NotifyTx } from "../db.js";

/**
 * A marketing message that passed its consent check, marked (in the check's transaction, under the subscriber's
 * shared consent lock) as being submitted until `windowMs` from now or until its outcome is recorded. This is
 * what lets a marketing send hold no transaction while it waits on the SMSC and still never follow an opt-out:
 * an opt-out takes the exclusive consent lock (so every check either ran before it and is marked, or runs after
 * it and sees it) and then waits for the marked ones. Only while our claim (its fencing token) still holds.
 */
export async function markSubmitting(
  tx: NotifyTx,
  message: { id: string; claimed_until: Date },
  windowMs: number,
): Promise<boolean> {
  const { count } = await tx.message.updateMany({
    // Still waiting to go: a message withdrawn with its campaign meanwhile is not sent.
    where: { id: message.id, claimedUntil: message.claimed_until, status: { in: ["QUEUED", "DEFERRED"] } },
    data: { submittingUntil: new Date(Date.now() + windowMs) },
  });
  return count === 1;
}

/**
 * Waits until no marketing message to the subscriber is being submitted (recorded, or its window passed because
 * its dispatcher died): after an opt-out has committed, so once this returns none can go out after it.
 */
export async function waitForMarketingSubmits(db: NotifyDb, subscriberId: string, pollMs = 10): Promise<void> {
  for (;;) {
    const submitting = await db.message.findFirst({
      where: { subscriberId, kind: "MARKETING", submittingUntil: { gt: new Date() } },
      select: { submittingUntil: true },
    });
    if (!submitting) return;
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
}
