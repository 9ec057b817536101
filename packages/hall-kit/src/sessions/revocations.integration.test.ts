import "@omnihall/testkit";
import { randomUUID } from "node:crypto";
import type { SubscriberParty } from "@omnihall/service-kit";
import { describe, expect, inject, it, onTestFinished, vi } from "vitest";
import { NatsSessionRevocations } from "./revocations.js";
import { SessionRefused, SessionTokens } from "./session-tokens.js";

const alice: SubscriberParty = { kind: "subscriber", subscriberId: "sub_1@x", msisdn: "13800000001" };

async function hallInstance(bucket: string) {
  const revocations = await NatsSessionRevocations.open({
    servers: [inject("natsUrl")],
    bucket,
    maxLifetimeSeconds: 3600,
  });
  onTestFinished(() => revocations.close());
  return new SessionTokens({
    secret: "Zt8q1xN3rK7mB2cY5wH9pL0sD4fG6jAeT",
    issuer: "web-hall",
    kinds: ["subscriber"],
    ttlSeconds: 600,
    maxLifetimeSeconds: 3600,
    revocations,
  });
}

const refused = (run: () => unknown) => {
  try {
    run();
    return undefined;
  } catch (error) {
    return (error as SessionRefused).hallError?.reason;
  }
};

describe("session revocations over NATS", () => {
  it("a logout on one hall instance is refused by every other, including one started afterwards", async () => {
    const bucket = `test-sessions-${randomUUID().slice(0, 8)}`;
    const [a, b] = [await hallInstance(bucket), await hallInstance(bucket)];
    const { token, session } = a.issue(alice);
    const other = a.issue(alice);
    expect(b.verify(token).sessionId).toBe(session.sessionId);

    await a.revoke(session);
    expect(refused(() => a.verify(token))).toBe("SESSION_REVOKED");
    await vi.waitFor(() => expect(refused(() => b.verify(token))).toBe("SESSION_REVOKED"));
    expect(b.verify(other.token).sessionId).toBe(other.session.sessionId);

    await b.revokeParty(alice);
    await vi.waitFor(() => expect(refused(() => a.verify(other.token))).toBe("SESSION_REVOKED"));

    // A new instance loads the whole list before it serves anyone.
    const c = await hallInstance(bucket);
    expect(refused(() => c.verify(token))).toBe("SESSION_REVOKED");
    expect(refused(() => c.verify(other.token))).toBe("SESSION_REVOKED");
  });
});
