import { counter, gauge, onScrape } from "@omnihall/telemetry";
import type { NotifyDb } from "../db.js";

const queueDepth = gauge({
  name: "omnihall_notify_queue_depth",
  help: "Messages waiting to be sent, by kind (SERVICE, MARKETING) and status (QUEUED: due; DEFERRED: retry or quiet hours).",
  labelNames: ["kind", "status"],
});
const KINDS = ["SERVICE", "MARKETING"] as const;
const WAITING = ["QUEUED", "DEFERRED"] as const;

/**
 * Reports the send queue's depth at every scrape (one grouped count; the queue is small when sends keep up and
 * the scrape interval is seconds). Returns the function that stops it.
 */
export function watchQueueDepth(db: NotifyDb): () => void {
  const stop = onScrape(async () => {
    const rows = await db.$queryRaw<Array<{ kind: string; status: string; depth: number }>>`
      SELECT kind::text AS kind, status::text AS status, count(*)::int AS depth FROM message
      WHERE status IN ('QUEUED', 'DEFERRED') GROUP BY kind, status`;
    // Every series every time, so an emptied queue reads 0 rather than its last depth.
    for (const kind of KINDS) {
      for (const status of WAITING) {
        const found = rows.find((row) => row.kind === kind && row.status === status);
        queueDepth.set({ kind, status }, found?.depth ?? 0);
      }
    }
  });
  return () => {
    stop();
    for (const kind of KINDS) for (const status of WAITING) queueDepth.remove({ kind, status });
  };
}

const windowInUse = gauge({
  name: "omnihall_sms_window_in_use",
  help: "Submits on the wire awaiting the SMSC's response (SMPP window in use).",
  labelNames: ["smsc"],
});
const windowSize = gauge({
  name: "omnihall_sms_window_size",
  help: "The most submits the SMSC link keeps on the wire at once.",
  labelNames: ["smsc"],
});
const submitQueue = gauge({
  name: "omnihall_sms_submit_queue",
  help: "Submits waiting for room in the window (or for the rate limit's tokens).",
  labelNames: ["smsc"],
});

/** Reports an SMSC link's window at every scrape; returns the function that stops it. */
export function watchSmscWindow(smsc: string, read: () => { inUse: number; size: number; queued: number }): () => void {
  const labels = { smsc };
  const stop = onScrape(() => {
    const { inUse, size, queued } = read();
    windowInUse.set(labels, inUse);
    windowSize.set(labels, size);
    submitQueue.set(labels, queued);
  });
  return () => {
    stop();
    windowInUse.remove(labels);
    windowSize.remove(labels);
    submitQueue.remove(labels);
  };
}

/**
 * Messages sent again although an earlier submit of theirs may have reached the SMSC and no receipt says it did
 * (see inDoubtFoundSent): SMPP's submit_sm has no idempotency key, so each of these may be a text the handset gets
 * twice. claim_lapsed: the previous claim ran out with no outcome recorded (its dispatcher died, or could not reach
 * the database, between submitting and recording); no_response: the submit was written but its response never
 * came (timed out), and it is retried.
 */
export const inDoubtResends = counter({
  name: "omnihall_notify_in_doubt_resends_total",
  help: "Messages sent again although an earlier submit may have reached the SMSC (claim_lapsed: its dispatcher died or could not record before the claim ran out; no_response: submit_sm_resp timed out), by kind.",
  labelNames: ["kind", "cause"],
});

/** In-doubt messages (causes as for inDoubtResends) not sent again: receipts already in showed the SMSC took them. */
export const inDoubtFoundSent = counter({
  name: "omnihall_notify_in_doubt_found_sent_total",
  help: "Messages whose earlier submit was in doubt (claim_lapsed, no_response) and that were not sent again because the SMSC's receipts for it were already in, by kind.",
  labelNames: ["kind", "cause"],
});
