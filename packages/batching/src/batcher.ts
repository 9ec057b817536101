export interface BatcherOptions {
  /** Items in one batch at most; more wait for the next. */
  maxItems: number;
  /** Batches running at once; whatever arrives while they all run goes into the next. Default 1. */
  maxInFlight?: number;
}

/** What a batch answers for each of its items, in their order: the item's result, or the error it alone failed with. */
export type BatchOutcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

interface Waiting<T, R> {
  item: T;
  resolve: (value: R) => void;
  reject: (error: unknown) => void;
}

/**
 * Many small requests as few batches, sized by the load — group commit, for anything with a set-based form (a
 * `WHERE id = ANY($1)` read, a multi-row insert, a Batch… RPC). Items asked for in one turn of the event loop go
 * out together at its end; while `maxInFlight` batches run, whatever arrives waits and goes out together in the
 * next. So a lone item waits for nothing but the turn it was asked in, and under load each batch carries what
 * came in while the previous ones ran: one query for a hundred items costs little more than for one.
 */
export class Batcher<T, R> {
  private waiting: Array<Waiting<T, R>> = [];
  private inFlight = 0;
  private flushScheduled = false;
  private readonly maxInFlight: number;

  /**
   * `run` answers a whole batch, one outcome per item in order; when it throws, every item of the batch fails
   * with its error.
   */
  constructor(
    private readonly run: (items: T[]) => Promise<Array<BatchOutcome<R>>>,
    private readonly options: BatcherOptions,
  ) {
    if (!(options.maxItems >= 1)) throw new Error("Batcher: maxItems must be at least 1");
    this.maxInFlight = options.maxInFlight ?? 1;
  }

  add(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      if (!this.flushScheduled) {
        this.flushScheduled = true;
        // setImmediate, not a microtask: the whole turn's items (every PDU of one socket read, every continuation
        // of the batch that just answered) are asked for before the batch leaves.
        setImmediate(() => {
          this.flushScheduled = false;
          this.flush();
        });
      }
    });
  }

  private flush(): void {
    while (this.waiting.length > 0 && this.inFlight < this.maxInFlight) {
      void this.send(this.waiting.splice(0, this.options.maxItems));
    }
  }

  private async send(batch: Array<Waiting<T, R>>): Promise<void> {
    this.inFlight += 1;
    try {
      const outcomes = await this.run(batch.map(({ item }) => item));
      if (outcomes.length !== batch.length) {
        throw new Error(`Batcher: ${outcomes.length} outcomes for a batch of ${batch.length}`);
      }
      batch.forEach(({ resolve, reject }, i) => {
        const outcome = outcomes[i]!;
        if (outcome.ok) resolve(outcome.value);
        else reject(outcome.error);
      });
    } catch (error) {
      for (const { reject } of batch) reject(error);
    } finally {
      this.inFlight -= 1;
      this.flush();
    }
  }
}
