import { api, ApiError, ok } from "./api";
import { queue, type QueuedOpening } from "./queue";

const BATCH = 10;
let running: Promise<SyncRun> | undefined;

export interface SyncRun {
  /** The hall refused the session (expired while offline): the agent logs in again, the queue waits. */
  loginNeeded: boolean;
  /** The network failed mid-way; what was not answered stays queued and goes again with the same keys. */
  interrupted: boolean;
}

/**
 * Sends the queued openings, oldest first, in batches. An item leaves the queue only on an answer about it:
 * APPLIED or REFUSED. A lost answer (network gone mid-request) leaves it queued, and the next run sends it again
 * with the same key: the services apply it once. One run at a time per page.
 */
export function syncQueue(): Promise<SyncRun> {
  running ??= runSync().finally(() => {
    running = undefined;
  });
  return running;
}

async function runSync(): Promise<SyncRun> {
  const tried = new Set<string>();
  for (;;) {
    const pending = (await queue.all())
      .filter((item) => item.state === "QUEUED" && !tried.has(item.key))
      .sort((a, b) => a.takenAt.localeCompare(b.takenAt))
      .slice(0, BATCH);
    if (pending.length === 0) return { loginNeeded: false, interrupted: false };
    for (const item of pending) tried.add(item.key);
    let results;
    try {
      ({ results } = await ok(
        api.POST("/v1/sync", { body: { items: pending.map(({ key, opening }) => ({ key, opening })) } }),
      ));
    } catch (error) {
      if (error instanceof ApiError && error.status === 401) return { loginNeeded: true, interrupted: false };
      return { loginNeeded: false, interrupted: true };
    }
    for (const result of results ?? []) {
      const item = pending.find((candidate) => candidate.key === result.key);
      if (!item || result.outcome === "RETRY") continue;
      const settled: QueuedOpening = { ...item, state: result.outcome === "APPLIED" ? "APPLIED" : "REFUSED", result };
      await queue.put(settled);
    }
  }
}
