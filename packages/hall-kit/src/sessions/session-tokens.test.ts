import type { OperatorParty, SubscriberParty } from "@omnihall/service-kit";
import { describe, expect, it } from "vitest";
import { MemorySessionRevocations } from "./revocations.js";
import { SessionRefused, SessionTokens } from "./session-tokens.js";

const alice: SubscriberParty = { kind: "subscriber", subscriberId: "sub_1", msisdn: "13800000001" };
const operator: OperatorParty = { kind: "operator", operatorId: "op_1", roles: ["viewer"], provinceScope: "GD" };

function tokens(options: Partial<ConstructorParameters<typeof SessionTokens>[0]> = {}) {
  return new SessionTokens({
    secret: "Zt8q1xN3rK7mB2cY5wH9pL0sD4fG6jAeT",
    issuer: "kiosk",
    kinds: ["subscriber", "operator"],
    ttlSeconds: { subscriber: 300, operator: 3600 },
    maxLifetimeSeconds: 7200,
    revocations: new MemorySessionRevocations({ maxLifetimeSeconds: 7200 }),
    ...options,
  });
}

function reasonOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    if (error instanceof SessionRefused) return error.hallError.reason;
    throw error;
  }
  return undefined;
}

describe("SessionTokens", () => {
  it("issues per-kind lifetimes and verifies what it issued", () => {
    const t = tokens();
    const now = new Date();
    const { token, session } = t.issue(alice, now);
    expect(session.expireTime.getTime() - Math.floor(now.getTime() / 1000) * 1000).toBe(300_000);
    expect(t.verify(token)).toEqual(session);
    expect(t.issue(operator, now).session.expireTime.getTime()).toBeGreaterThan(session.expireTime.getTime());
  });

  it("refuses to issue for a kind the hall does not log in, and a short secret", () => {
    const t = tokens({ kinds: ["subscriber"] });
    expect(() => t.issue(operator)).toThrow(/does not log in/);
    expect(() => tokens({ secret: "short" })).toThrow(/32 bytes/);
  });

  it("refuses a token of another issuer or another secret", () => {
    const { token } = tokens().issue(alice);
    expect(reasonOf(() => tokens({ issuer: "web-hall" }).verify(token))).toBe("SESSION_INVALID");
    expect(reasonOf(() => tokens({ secret: "another-secret-0123456789abcdefghij" }).verify(token))).toBe(
      "SESSION_INVALID",
    );
  });

  it("caps refreshes at the maximum lifetime and refuses one past it", () => {
    const t = tokens({ ttlSeconds: 3600, maxLifetimeSeconds: 5400 });
    const start = new Date(Date.now() - 4000 * 1000);
    const first = t.issue(alice, start);
    const refreshed = t.refresh(first.session);
    expect(refreshed.session.sessionId).toBe(first.session.sessionId);
    expect(refreshed.session.expireTime.getTime()).toBe(Math.floor((start.getTime() + 5400_000) / 1000) * 1000);
    expect(reasonOf(() => t.refresh(first.session, new Date(start.getTime() + 5400_000)))).toBe("SESSION_EXPIRED");
  });

  it("revokes one session, or every earlier session of a party", async () => {
    const t = tokens();
    const one = t.issue(alice);
    const two = t.issue(alice);
    await t.revoke(one.session);
    expect(reasonOf(() => t.verify(one.token))).toBe("SESSION_REVOKED");
    expect(t.verify(two.token).sessionId).toBe(two.session.sessionId);

    await t.revokeParty(alice);
    expect(reasonOf(() => t.verify(two.token))).toBe("SESSION_REVOKED");
    const later = t.issue(alice, new Date(Date.now() + 5));
    expect(t.verify(later.token).party).toEqual(alice);
    expect(t.verify(t.issue(operator).token).party).toEqual(operator);
  });

  it("binds CSRF tokens to their session", () => {
    const t = tokens();
    const a = t.issue(alice).session;
    const b = t.issue(alice).session;
    expect(t.csrfTokenMatches(a, t.csrfTokenOf(a))).toBe(true);
    expect(t.csrfTokenMatches(a, t.csrfTokenOf(b))).toBe(false);
    expect(t.csrfTokenMatches(a, undefined)).toBe(false);
    expect(t.csrfTokenMatches(a, "")).toBe(false);
  });
});
