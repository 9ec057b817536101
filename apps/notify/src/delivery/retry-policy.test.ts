import { describe, expect, it } from "vitest";
import { nextRetryDelayMs } from "./retry-policy.js";

describe("nextRetryDelayMs", () => {
  const policy = { maxAttempts: 5, baseDelayMs: 1000, maxDelayMs: 5000 };
  const noJitter = () => 0.5;

  it("doubles the delay after each attempt, up to the cap", () => {
    expect([1, 2, 3, 4].map((attempts) => nextRetryDelayMs(policy, attempts, noJitter))).toEqual([
      1000, 2000, 4000, 5000,
    ]);
  });

  it("stops once the attempts are used up", () => {
    expect(nextRetryDelayMs(policy, 5, noJitter)).toBeNull();
  });

  it("spreads retries by at most 20% either way", () => {
    expect(nextRetryDelayMs(policy, 2, () => 0)).toBe(1600);
    expect(nextRetryDelayMs(policy, 2, () => 0.999999)).toBe(2400);
  });
});
