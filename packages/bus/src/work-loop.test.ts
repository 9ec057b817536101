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
});
