import { gauge, onScrape } from "@omnihall/telemetry";
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
