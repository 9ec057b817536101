/**
 * Work per phone number: one number's messages are handled one after another (a "Y" must see the order its "KT"
 * created), different numbers side by side. A number may queue only a few messages: a flood from one number fills
 * its own lane and is dropped there, never occupying the others.
 */
export class NumberLanes {
  private readonly lanes = new Map<string, { tail: Promise<void>; queued: number }>();

  constructor(private readonly maxQueuedPerNumber: number) {}

  /** Runs `work` after the number's earlier work; false (and nothing run) when the lane is full. */
  submit(number: string, work: () => Promise<void>): boolean {
    const lane = this.lanes.get(number) ?? { tail: Promise.resolve(), queued: 0 };
    if (lane.queued >= this.maxQueuedPerNumber) return false;
    lane.queued++;
    lane.tail = lane.tail
      .then(work)
      .catch(() => undefined) // the work logs its own failures; the lane must go on
      .finally(() => {
        lane.queued--;
        if (lane.queued === 0) this.lanes.delete(number);
      });
    this.lanes.set(number, lane);
    return true;
  }

  /** Resolves when every lane has run dry (shutdown). */
  async drain(): Promise<void> {
    while (this.lanes.size > 0) await Promise.all([...this.lanes.values()].map((lane) => lane.tail));
  }
}
