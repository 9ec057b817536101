import { describe, expect, it } from "vitest";
import { afterWrongCode, DEFAULT_LOGIN_POLICY, hashLoginCode, loginCodeMatches, newLoginCode } from "./login-policy.js";

describe("login codes", () => {
  it("are six digits", () => {
    for (let i = 0; i < 200; i++) expect(newLoginCode()).toMatch(/^\d{6}$/);
  });

  it("match only the same code for the same number and secret", () => {
    const hash = hashLoginCode("s3cret", "13800138000", "123456");
    expect(loginCodeMatches("s3cret", "13800138000", "123456", hash)).toBe(true);
    expect(loginCodeMatches("s3cret", "13800138000", "123457", hash)).toBe(false);
    expect(loginCodeMatches("s3cret", "13900139000", "123456", hash)).toBe(false);
    expect(loginCodeMatches("other", "13800138000", "123456", hash)).toBe(false);
  });
});

describe("wrong codes", () => {
  const now = new Date("2026-11-22T10:00:00Z");

  it("lock the number for fifteen minutes at the fifth", () => {
    let state = { failedAttempts: 0, lockedUntil: null as Date | null, attemptsLeft: 5 };
    for (let i = 1; i <= 4; i++) {
      state = afterWrongCode(DEFAULT_LOGIN_POLICY, state.failedAttempts, now);
      expect(state.lockedUntil).toBeNull();
      expect(state.attemptsLeft).toBe(5 - i);
    }
    state = afterWrongCode(DEFAULT_LOGIN_POLICY, state.failedAttempts, now);
    expect(state.lockedUntil).toEqual(new Date(now.getTime() + 15 * 60_000));
    expect(state.failedAttempts).toBe(0);
  });
});
