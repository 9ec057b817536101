import { enqueue, type Logger } from "@omnihall/bus";
import { localTime, previousMonth } from "../buckets/calendar.js";
import { loadGrants } from "../buckets/load-grants.js";
import { usageReport } from "../buckets/usage-report.js";
import type { UsageDb } from "../database.js";
import { UsageSummaryDue } from "../events.js";

export interface SummarySchedule {
  /** Days of the month summaries are due (subscriber's zone). */
  days: readonly number[];
  /** Local hour from which they go out. */
  hour: number;
}

/** Subscribers claimed per transaction. */
const CLAIM_SIZE = 200;

/**
 * Publishes `usage.summary.due` for every subscriber whose local day is a summary day and whose local hour has
 * come, once per subscriber and day: the claim (summary_sent's primary key) and the event commit together, so
 * a restart or a second instance neither repeats nor drops one. On the 1st it reports the month that ended.
 * Returns how many it published.
 */
export async function publishDueSummaries(db: UsageDb, schedule: SummarySchedule, now: Date): Promise<number> {
  const zones = await db.query<{ time_zone: string }>(`SELECT DISTINCT time_zone FROM subscriber`);
  let published = 0;
  for (const { time_zone: timeZone } of zones) {
    const local = localTime(now, timeZone);
    if (!schedule.days.includes(local.day) || local.hour < schedule.hour) continue;
    const reportTime = local.day === 1 ? new Date(previousMonth(now, timeZone).end.getTime() - 1) : now;
    for (;;) {
      const claimed = await db.transaction(async (tx) => {
        const rows = await tx.query<{ subscriber_id: string }>(
          `INSERT INTO summary_sent (subscriber_id, summary_date)
           SELECT s.id, $2 FROM subscriber s
            WHERE s.time_zone = $1
              AND NOT EXISTS (SELECT 1 FROM summary_sent x WHERE x.subscriber_id = s.id AND x.summary_date = $2)
            ORDER BY s.id
            LIMIT ${CLAIM_SIZE}
           ON CONFLICT DO NOTHING
           RETURNING subscriber_id`,
          [timeZone, local.date],
        );
        const ids = rows.map((r) => r.subscriber_id);
        const known = await loadGrants(tx, ids);
        for (const subscriberId of ids) {
          const report = await usageReport(
            tx,
            subscriberId,
            timeZone,
            known.grants.get(subscriberId) ?? [],
            reportTime,
          );
          await enqueue(tx, UsageSummaryDue, { subscriberId, summaryDate: local.date, ...report });
        }
        return ids.length;
      });
      published += claimed;
      if (claimed === 0) break;
    }
  }
  return published;
}

/** Looks for due summaries every `intervalMs` until stopped. */
export function scheduleSummaries(
  db: UsageDb,
  schedule: SummarySchedule,
  options: { intervalMs: number; logger: Logger },
): { stop(): Promise<void> } {
  let running: Promise<void> = Promise.resolve();
  const tick = () => {
    running = publishDueSummaries(db, schedule, new Date()).then(
      (count) => {
        if (count > 0) options.logger.info({ count }, "usage summaries published");
      },
      (error: unknown) => options.logger.error({ err: error }, "usage summaries failed; will try again"),
    );
  };
  const timer = setInterval(tick, options.intervalMs);
  tick();
  return {
    stop: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
