import { describe, expect, it } from "vitest";
import { TokenBucket } from "./token-bucket.js";

function manualClock() {
  const clock = { ms: 0, now: () => clock.ms };
  return clock;
}

describe("TokenBucket", () => {
  it("allows a burst of its capacity, then says how long to wait", () => {
    const clock = manualClock();
    const bucket = new TokenBucket(10, 3, clock.now);
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([0, 0, 0]);
    expect(bucket.take()).toBe(100);
  });

  it("refills at its rate and never above its capacity", () => {
    const clock = manualClock();
    const bucket = new TokenBucket(10, 2, clock.now);
    bucket.take();
    bucket.take();
    clock.ms = 50;
    expect(bucket.take()).toBe(50);
    clock.ms = 100;
    expect(bucket.take()).toBe(0);
    clock.ms = 10_000;
    expect([bucket.take(), bucket.take(), bucket.take()]).toEqual([0, 0, 100]);
  });

  it("holds the rate over a long run", () => {
    const clock = manualClock();
    const bucket = new TokenBucket(25, 5, clock.now);
    let sent = 0;
    for (clock.ms = 0; clock.ms <= 10_000; clock.ms += 7) while (bucket.take() === 0) sent++;
    // 5 at once, then 25 per second for 10 s.
    expect(sent).toBeGreaterThanOrEqual(250);
    expect(sent).toBeLessThanOrEqual(255);
  });

  it("rejects a rate or capacity that could never send", () => {
    expect(() => new TokenBucket(0, 1)).toThrow(RangeError);
    expect(() => new TokenBucket(5, 0)).toThrow(RangeError);
  });
});
