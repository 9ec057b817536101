import { WorkLoop, type Logger } from "@omnihall/bus";
import { inTransaction, type CampaignDb } from "../db.js";
import type { LiveOfferSync } from "../live/live-offer-sync.js";
import { lockCampaign, recordChange } from "./transitions.js";

/** Campaigns moved per round. */
const BATCH = 50;
const SCHEDULER = "system:scheduler";

/**
 * One round of the time-driven lifecycle: SCHEDULED campaigns whose start time came go LIVE, campaigns whose end
 * time passed (scheduled, live or paused) end, each in its own transaction with its audit entry and event; then
 * the live offer set is reconciled with the database. Returns true when more campaigns may be due right away.
 */
export async function schedulerRound(db: CampaignDb, live: LiveOfferSync, now = new Date()): Promise<boolean> {
  const due = await db.$queryRaw<Array<{ id: string; target: "LIVE" | "ENDED" }>>`
    SELECT id, CASE WHEN end_time <= ${now} THEN 'ENDED' ELSE 'LIVE' END AS target
      FROM campaign
     WHERE (state IN ('SCHEDULED', 'LIVE', 'PAUSED') AND end_time <= ${now})
        OR (state = 'SCHEDULED' AND start_time <= ${now})
     ORDER BY start_time
     LIMIT ${BATCH}`;
  for (const { id, target } of due) {
    await inTransaction(db, async (tx) => {
      const row = await lockCampaign(tx, id);
      // Someone (an operator, another instance) moved it meanwhile: look again next round.
      if (!row) return;
      if (target === "ENDED" ? row.endTime > now || row.state === "ENDED" : row.state !== "SCHEDULED") return;
      await recordChange(
        tx,
        row,
        target === "ENDED" ? "EXPIRE" : "GO_LIVE",
        {
          actor: SCHEDULER,
          requestId: `scheduler-${id}-${target}`,
        },
        { state: target },
      );
    });
    await live.sync(id);
  }
  await live.reconcile();
  return due.length === BATCH;
}

/** The scheduler as a background loop: a round every `pollIntervalMs`, at once on wake(). */
export function startScheduler(
  db: CampaignDb,
  live: LiveOfferSync,
  options: { pollIntervalMs: number; logger: Logger },
) {
  const loop = new WorkLoop({
    round: () => schedulerRound(db, live),
    pollIntervalMs: options.pollIntervalMs,
    backoff: { initialMs: 500, maxMs: 30_000 },
    logger: options.logger,
    failureMessage: "campaign scheduler round failed",
  });
  loop.start();
  return loop;
}
