import { randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { callFailure } from "@omnihall/channel-client/testing";
import { startCustomerHarness } from "../testing/customer-harness.js";
import { loginCalls, wrongCode } from "../testing/login-calls.js";

const MINUTE = 60_000;

/** A harness with one subscriber who has just been sent a code. */
async function withIssuedCode(
  overrides: Parameters<Awaited<ReturnType<typeof startCustomerHarness>>["addSubscriber"]>[0] = {},
) {
  const harness = await startCustomerHarness();
  const subscriber = await harness.addSubscriber(overrides);
  const login = loginCalls(harness);
  await login.start(subscriber.msisdn);
  return { harness, login, ...subscriber, code: harness.lastLoggedCode(subscriber.msisdn) };
}

describe("VerifyLogin", () => {
  it("accepts the right code once and returns the subscriber", async () => {
    const { login, msisdn, id, code } = await withIssuedCode();
    const verified = await login.verify(`${msisdn.slice(0, 3)} ${msisdn.slice(3)}`, code);
    expect(verified.subscriber).toMatchObject({ subscriberId: id, msisdn });

    const reused = await callFailure(login.verify(msisdn, code));
    expect([reused.code, reused.reason]).toEqual([16, "LOGIN_CODE_MISSING"]); // UNAUTHENTICATED
  });

  it("refuses a code after its five minutes", async () => {
    const { harness, login, msisdn, code } = await withIssuedCode();
    harness.clock.advance(5 * MINUTE);
    const expired = await callFailure(login.verify(msisdn, code));
    expect(expired.reason).toBe("LOGIN_CODE_EXPIRED");
    expect(expired.messages["zh-CN"]).toContain("过期");
  });

  it("locks the number for fifteen minutes at the fifth wrong code, through new codes, then lets it in again", async () => {
    const { harness, login, msisdn, code } = await withIssuedCode();
    const wrong = wrongCode(code);
    for (const attemptsLeft of [4, 3, 2, 1]) {
      const refused = await callFailure(login.verify(msisdn, wrong));
      expect(refused.reason).toBe("LOGIN_CODE_WRONG");
      expect(refused.metadata.attemptsLeft).toBe(String(attemptsLeft));
    }
    const lockedAt = harness.clock.now();
    const locked = await callFailure(login.verify(msisdn, wrong));
    expect([locked.code, locked.reason]).toEqual([8, "LOGIN_LOCKED"]);
    const unlockTime = new Date(lockedAt.getTime() + 15 * MINUTE).toISOString();
    expect(locked.metadata).toEqual({ unlockTime, retryAfterSeconds: "900" });

    harness.clock.advance(2 * MINUTE);
    expect((await callFailure(login.verify(msisdn, code))).reason).toBe("LOGIN_LOCKED");
    const noNewCode = await callFailure(login.start(msisdn));
    expect(noNewCode.reason).toBe("LOGIN_LOCKED");
    expect(noNewCode.metadata).toEqual({ unlockTime, retryAfterSeconds: "780" });

    harness.clock.advance(13 * MINUTE);
    // The code being guessed at was voided by the lock.
    expect((await callFailure(login.verify(msisdn, code))).reason).toBe("LOGIN_CODE_MISSING");
    await login.start(msisdn);
    const verified = await login.verify(msisdn, harness.lastLoggedCode(msisdn));
    expect(verified.subscriber?.msisdn).toBe(msisdn);
  });

  it("keeps counting wrong codes when a new code is sent", async () => {
    const { harness, login, msisdn, code } = await withIssuedCode();
    for (let i = 0; i < 3; i++) await callFailure(login.verify(msisdn, wrongCode(code)));
    harness.clock.advance(MINUTE);
    await login.start(msisdn);
    const second = harness.lastLoggedCode(msisdn);
    expect((await callFailure(login.verify(msisdn, wrongCode(second)))).metadata.attemptsLeft).toBe("1");
    expect((await callFailure(login.verify(msisdn, wrongCode(second)))).reason).toBe("LOGIN_LOCKED");
  });

  it("answers a retry with the first answer and counts no second attempt", async () => {
    const { harness, login, msisdn, id, code } = await withIssuedCode();
    const wrongId = randomUUID();
    for (let i = 0; i < 3; i++) {
      const refused = await callFailure(login.verify(msisdn, wrongCode(code), wrongId));
      expect([refused.reason, refused.metadata.attemptsLeft]).toEqual(["LOGIN_CODE_WRONG", "4"]);
    }
    expect((await harness.db.loginGuard.findUniqueOrThrow({ where: { msisdn } })).failedAttempts).toBe(1);

    const rightId = randomUUID();
    const first = await login.verify(msisdn, code, rightId);
    // The code is used now, yet the retry of the request that used it still succeeds with the same answer.
    expect(await login.verify(msisdn, code, rightId)).toEqual(first);
    expect(first.subscriber?.subscriberId).toBe(id);
    // A successful login forgives earlier wrong codes.
    expect((await harness.db.loginGuard.findUniqueOrThrow({ where: { msisdn } })).failedAttempts).toBe(0);
  });

  it("counts one attempt for twenty concurrent calls with one request_id", async () => {
    const { harness, login, msisdn, code } = await withIssuedCode();
    const requestId = randomUUID();
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => callFailure(login.verify(msisdn, wrongCode(code), requestId))),
    );
    expect(new Set(answers.map((answer) => `${answer.reason}/${answer.metadata.attemptsLeft}`))).toEqual(
      new Set(["LOGIN_CODE_WRONG/4"]),
    );
    expect((await harness.db.loginGuard.findUniqueOrThrow({ where: { msisdn } })).failedAttempts).toBe(1);
    expect(await harness.db.loginRequest.count({ where: { kind: "VerifyLogin" } })).toBe(1);

    const rightId = randomUUID();
    const logins = await Promise.all(Array.from({ length: 20 }, () => login.verify(msisdn, code, rightId)));
    expect(new Set(logins.map((answer) => answer.subscriber?.msisdn))).toEqual(new Set([msisdn]));
  });

  it("refuses closed numbers and bad input; a number nobody has has no code", async () => {
    const { harness, login, msisdn, code } = await withIssuedCode();
    await harness.db.subscriber.update({ where: { msisdn }, data: { status: "TERMINATED" } });
    const inactive = await callFailure(login.verify(msisdn, code));
    expect([inactive.code, inactive.reason]).toEqual([9, "SUBSCRIBER_INACTIVE"]);

    expect((await callFailure(login.verify("2380013800", code))).reason).toBe("MSISDN_MALFORMED");
    for (const malformed of ["12345", "12a456", "1234567", ""]) {
      const refused = await callFailure(login.verify(msisdn, malformed));
      expect([refused.code, refused.reason]).toEqual([3, "LOGIN_CODE_MALFORMED"]);
    }
    expect((await callFailure(login.verify(msisdn, code, ""))).reason).toBe("REQUEST_ID_REQUIRED");
    expect((await callFailure(login.verify(msisdn, code, "r".repeat(5000)))).reason).toBe("REQUEST_ID_REQUIRED");
    expect((await callFailure(login.verify("13712345678", code))).reason).toBe("LOGIN_CODE_MISSING");
  });
});
