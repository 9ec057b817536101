/**
 * Group commit: items handed to add() are written as soon as no write is running, and whatever arrives while one
 * runs goes into the next. So an item waits at most for the write in progress plus its own, and the number of
 * writes adapts to the load: one per item when they trickle in (the store keeps up), one per burst when they pour
 * in (each write set-based, costing about the same for 1 item or 100). Writes run one at a time, in order.
 */
export class GroupCommit<T> {
  private pending: Array<{ item: T; written: () => void; failed: (error: unknown) => void }> = [];
  private writing = false;

  /** `write` stores a whole group or throws; every add() of that group then rejects with its error. */
  constructor(private readonly write: (items: T[]) => Promise<void>) {}

  /** Resolves once the item is written; rejects with the error of the write that held it. */
  add(item: T): Promise<void> {
    return new Promise((written, failed) => {
      this.pending.push({ item, written, failed });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    while (this.pending.length > 0) {
      const group = this.pending.splice(0);
      try {
        await this.write(group.map(({ item }) => item));
        for (const { written } of group) written();
      } catch (error) {
        for (const { failed } of group) failed(error);
      }
    }
    this.writing = false;
  }
}
