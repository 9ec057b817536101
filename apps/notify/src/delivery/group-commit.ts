import { setTimeout as sleep } from "node:timers/promises";
import { backoffDelay, type Backoff } from "@omnihall/bus";

export interface GroupCommitRetry<T> {
  /** Pause before writing again after consecutive failed writes. */
  backoff: Backoff;
  /** Whether an item of a failed write is still worth writing (false: its add() rejects with the error). */
  stillWorthIt: (item: T) => boolean;
  /** Told of each failed write that will be tried again, with the items kept and the pause. */
  onRetry?: (error: unknown, items: number, retryInMs: number) => void;
}

/**
 * Group commit: items handed to add() are written as soon as no write is running, and whatever arrives while one
 * runs goes into the next. So an item waits at most for the write in progress plus its own, and the number of
 * writes adapts to the load: one per item when they trickle in (the store keeps up), one per burst when they pour
 * in (each write set-based, costing about the same for 1 item or 100). Writes run one at a time, in order. With
 * `retry`, the items of a failed write that are still worth it are written again (with whatever arrived
 * meanwhile) after a pause, so a database that is briefly unreachable or out of connections delays them rather
 * than losing them.
 */
export class GroupCommit<T> {
  private pending: Array<{ item: T; written: () => void; failed: (error: unknown) => void }> = [];
  private writing = false;

  /** `write` stores a whole group or throws; every add() of that group then rejects with its error. */
  constructor(
    private readonly write: (items: T[]) => Promise<void>,
    private readonly retry?: GroupCommitRetry<T>,
  ) {}

  /** Resolves once the item is written; rejects with the error of the write that held it (when not retried). */
  add(item: T): Promise<void> {
    return new Promise((written, failed) => {
      this.pending.push({ item, written, failed });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    let failures = 0;
    while (this.pending.length > 0) {
      const group = this.pending.splice(0);
      try {
        await this.write(group.map(({ item }) => item));
        failures = 0;
        for (const { written } of group) written();
      } catch (error) {
        failures += 1;
        const again = this.retry ? group.filter(({ item }) => this.retry!.stillWorthIt(item)) : [];
        for (const entry of group) if (!again.includes(entry)) entry.failed(error);
        if (again.length > 0) {
          const retryInMs = backoffDelay(failures, this.retry!.backoff);
          this.retry!.onRetry?.(error, again.length, retryInMs);
          this.pending.unshift(...again);
          await sleep(retryInMs);
        }
      }
    }
    this.writing = false;
  }
}
