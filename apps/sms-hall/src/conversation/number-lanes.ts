/**
 * Work per phone number: one number's messages are handled one after another (a "Y" must see the order its "KT"
 * created), different numbers side by side. A number may queue only a few messages: a flood from one number fills
 * its own lane and is dropped there, never occupying the others.
 */
export class NumberLanes {
  private readonly lanes = new Map<string, { tail: Promise<void>; queued: number }>();
  private running = 0;
  private readonly waiting: Array<() => void> = [];

  /**
   * `maxRunning` bounds the work in flight across all numbers, so a burst queues here (cheaply, in order) instead of
   * piling onto the services until their deadlines pass.
   */
  constructor(
    private readonly maxQueuedPerNumber: number,
    private readonly maxRunning = Infinity,
  ) {}

  /** Runs `work` after the number's earlier work; false (and nothing run) when the lane is full. */
  submit(number: string, work: () => Promise<void>): boolean {
    const lane = this.lanes.get(number) ?? { tail: Promise.resolve(), queued: 0 };
    if (lane.queued >= this.maxQueuedPerNumber) return false;
    lane.queued++;
    lane.tail = lane.tail
      .then(() => this.slot(work))
      .catch(() => undefined) // the work logs its own failures; the lane must go on
      .finally(() => {
        lane.queued--;
        if (lane.queued === 0) this.lanes.delete(number);
      });
    this.lanes.set(number, lane);
    return true;
  }

  private async slot(work: () => Promise<void>): Promise<void> {
    if (this.running >= this.maxRunning) await new Promise<void>((resolve) => this.waiting.push(resolve));
    this.running++;
    try {
      await work();
    } finally {
      this.running--;
      this.waiting.shift()?.();
    }
  }

  /** Resolves when every lane has run dry (shutdown). */
  async drain(): Promise<void> {
    while (this.lanes.size > 0) await Promise.all([...this.lanes.values()].map((lane) => lane.tail));
  }
}
