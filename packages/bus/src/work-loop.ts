import { backoffDelay, type Backoff } from "./backoff.js";
import type { Logger } from "./logger.js";

export interface WorkLoopOptions {
  /** One round of work (claim a batch, act, record); resolves true when more may be waiting right away. */
  round: () => Promise<boolean>;
  /** Rest between rounds when the last round found no more work and nothing called wake(). */
  pollIntervalMs: number;
  /** After a failed round: wait, doubling per consecutive failure. wake() does not cut this short. */
  backoff: Backoff;
  logger: Logger;
  /** Logged as a warning, with the error and `retryInMs`, when a round fails. */
  failureMessage: string;
  /** Loops running rounds side by side (each claims its own work). Default 1. */
  concurrency?: number;
}

/**
 * The poll / wake / back off / stop loop every background worker shares (outbox relay, saga, dispatcher): runs
 * rounds back to back while they find work, rests for the poll interval when they do not (a wake() — a
 * notification that work was committed — ends the rest at once, and one arriving during a round means no rest at
 * all), backs off while rounds fail (the database or the bus is down), and stop() waits for the rounds in hand.
 *
 * With several loops (`concurrency`), a wake() sets one of them going, not all: each round claims its own work,
 * and the others would only find the work already taken (for the dispatcher, an empty claim cost as much as a full
 * one, and most claims were empty). A round that finds more work than it took sets one more resting loop going, so
 * a backlog is worked on by every loop at once.
 */
export class WorkLoop {
  readonly #options: WorkLoopOptions;
  #running = false;
  #loops: Promise<void>[] = [];
  /** A wake() that came while no loop was resting: the next loop to finish a round runs another instead. */
  #wakePending = false;
  readonly #resting = new Set<{ wakeable: boolean; wake(byWake: boolean): void }>();

  constructor(options: WorkLoopOptions) {
    this.#options = options;
  }

  get running(): boolean {
    return this.#running;
  }

  start(): void {
    if (this.#running) return;
    this.#running = true;
    this.#loops = Array.from({ length: this.#options.concurrency ?? 1 }, () => this.#loop());
  }

  /** Work was committed: a loop resting on its poll interval looks now (or, if none rests, the next one free). */
  wake(): void {
    if (!this.#wakeOne()) this.#wakePending = true;
  }

  /** Ends one loop's poll rest; false when none is resting. */
  #wakeOne(): boolean {
    const rest = [...this.#resting].find((resting) => resting.wakeable);
    if (!rest) return false;
    rest.wake(true);
    return true;
  }

  /** Stops after the rounds in progress; rests and backoffs end at once. */
  async stop(): Promise<void> {
    if (!this.#running) return;
    this.#running = false;
    for (const rest of [...this.#resting]) rest.wake(false);
    await Promise.all(this.#loops);
  }

  async #loop(): Promise<void> {
    let failures = 0;
    while (this.#running) {
      let more: boolean;
      try {
        more = await this.#options.round();
        failures = 0;
      } catch (error) {
        failures += 1;
        const retryInMs = backoffDelay(failures, this.#options.backoff);
        this.#options.logger.warn({ err: error, retryInMs }, this.#options.failureMessage);
        await this.#rest(retryInMs, false);
        continue;
      }
      if (more) {
        this.#wakeOne();
      } else if (this.#wakePending) {
        this.#wakePending = false;
      } else {
        await this.#rest(this.#options.pollIntervalMs, true);
      }
    }
  }

  /** Waits up to ms; stop() (and wake(), when wakeable) ends the wait early. */
  #rest(ms: number, wakeable: boolean): Promise<void> {
    if (!this.#running) return Promise.resolve();
    return new Promise((resolve) => {
      const rest = {
        wakeable,
        wake: (byWake: boolean) => {
          if (byWake && !wakeable) return;
          clearTimeout(timer);
          this.#resting.delete(rest);
          resolve();
        },
      };
      const timer = setTimeout(() => rest.wake(false), ms);
      this.#resting.add(rest);
    });
  }
}
