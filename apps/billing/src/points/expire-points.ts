import type { Logger } from "@omnihall/service-kit";
import type { BillingDb } from "../db.js";
import { expireDuePoints } from "./points-ledger.js";

/**
 * The expiry sweep: expires every lot due by `now`, one transaction per subscriber (a subscriber's lots expire
 * together, under their account lock, so sweeps running at once or again expire each lot once). Returns what it did.
 */
export async function expirePoints(
  db: BillingDb,
  options: { now?: Date; batchSize?: number } = {},
): Promise<{ subscribers: number; points: bigint }> {
  const now = options.now ?? new Date();
  const batchSize = options.batchSize ?? 500;
  let subscribers = 0;
  let points = 0n;
  for (;;) {
    const due = await db.$queryRaw<{ subscriber_id: string }[]>`
      SELECT DISTINCT subscriber_id FROM points_lot
      WHERE expires_at <= ${now} AND remaining_points > 0
      LIMIT ${batchSize}`;
    if (due.length === 0) return { subscribers, points };
    for (const { subscriber_id: subscriberId } of due) {
      const expired = await db.$transaction((tx) => expireDuePoints(tx, subscriberId, now));
      if (expired > 0n) subscribers += 1;
      points += expired;
    }
  }
}

/** Runs the sweep every `intervalMs` in the service process; stop() waits for a sweep in progress. */
export function startPointsExpiryJob(db: BillingDb, logger: Logger, intervalMs: number): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const timer = setInterval(() => {
    running = running.then(async () => {
      try {
        const result = await expirePoints(db);
        if (result.points > 0n) {
          logger.info({ subscribers: result.subscribers, points: String(result.points) }, "points expired");
        }
      } catch (error) {
        logger.error({ err: error }, "points expiry sweep failed; retrying at the next interval");
      }
    });
  }, intervalMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
