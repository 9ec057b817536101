import { describe, expect, it, vi } from "vitest";
import { captureLogger } from "./testing/capture-logger.js";
import { WorkLoop } from "./work-loop.js";

const until = (check: () => void) => vi.waitFor(check, { timeout: 5_000, interval: 5 });

describe("WorkLoop", () => {
  it("runs rounds back to back while they find work, rests otherwise, and wakes at once on wake()", async () => {
    let waiting = 3;
    const rounds: number[] = [];
    const loop = new WorkLoop({
      round: async () => {
        rounds.push(waiting);
        if (waiting > 0) waiting -= 1;
        return waiting > 0;
      },
      pollIntervalMs: 60_000,
      backoff: { initialMs: 10, maxMs: 10 },
      logger: captureLogger(),
      failureMessage: "round failed",
    });
    loop.start();
    await until(() => expect(rounds).toEqual([3, 2, 1]));
    waiting = 1;
    loop.wake();
    await until(() => expect(rounds).toEqual([3, 2, 1, 1]));
    await loop.stop();
  });

  it("backs off, doubling, while rounds fail, and stop() ends a backoff at once", async () => {
    const log = captureLogger();
    const loop = new WorkLoop({
      round: () => Promise.reject(new Error("database down")),
      pollIntervalMs: 10,
      backoff: { initialMs: 20, maxMs: 40 },
      logger: log,
      failureMessage: "round failed",
    });
    loop.start();
    await until(() => expect(log.entries.length).toBeGreaterThanOrEqual(3));
    expect(log.entries.slice(0, 3).map((entry) => entry.details.retryInMs)).toEqual([20, 40, 40]);
    loop.wake(); // a notification does not cut a backoff short; stop does
    const stopping = Date.now();
    await loop.stop();
    expect(Date.now() - stopping).toBeLessThan(40);
  });

  it("with several loops, sets one going per wake, every one for a backlog, and loses no wake during rounds", async () => {
    /** Work items waiting; a round takes up to 2 and says whether more wait. */
    let waiting = 0;
    let rounds = 0;
    let inRound = 0;
    let mostAtOnce = 0;
    let release: (() => void) | undefined;
    const loop = new WorkLoop({
      round: async () => {
        rounds += 1;
        inRound += 1;
        mostAtOnce = Math.max(mostAtOnce, inRound);
        const taken = Math.min(2, waiting);
        waiting -= taken;
        // A round takes a turn of the event loop, as a query would (so rounds can overlap); held open while a test
        // wants work to arrive during one.
        await new Promise((resolve) => setImmediate(resolve));
        if (release) await new Promise<void>((resolve) => (release = resolve));
        inRound -= 1;
        return waiting > 0;
      },
      pollIntervalMs: 60_000,
      backoff: { initialMs: 10, maxMs: 10 },
      logger: captureLogger(),
      failureMessage: "round failed",
      concurrency: 3,
    });
    loop.start();
    // Each of the three loops looks once at start, finds nothing, and rests.
    await until(() => expect([rounds, inRound]).toEqual([3, 0]));

    // One item: one wake, one round; the other loops go on resting.
    waiting = 1;
    loop.wake();
    await until(() => expect(waiting).toBe(0));
    expect(rounds).toBe(4);

    // A backlog: the woken round finds more and sets the others going.
    waiting = 12;
    loop.wake();
    await until(() => expect(waiting).toBe(0));
    expect(mostAtOnce).toBeGreaterThan(1);

    // Work committed while every loop is in a round is looked for after it, not at the next poll.
    const before = rounds;
    release = () => {};
    waiting = 0;
    loop.wake();
    await until(() => expect(rounds).toBe(before + 1));
    waiting = 1;
    loop.wake(); // nobody rests: the round in progress will look again
    const held = release;
    release = undefined;
    held();
    await until(() => expect(waiting).toBe(0));
    await loop.stop();
  });
});
