import { randomUUID } from "node:crypto";
import type { ServiceCallError } from "@omnihall/channel-client";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { LoginCodeIssuedEvent } from "@omnihall/proto/omnihall/customer/v1/events";
import { developmentSealingKeys, open, SealedBoxError } from "@omnihall/sealed-box";
import { describe, expect, it } from "vitest";
import { callFailure } from "@omnihall/channel-client/testing";
import { startCustomerHarness } from "../testing/customer-harness.js";
import { loginCalls, wrongCode } from "../testing/login-calls.js";

const MINUTE = 60_000;

describe("StartLogin", () => {
  it("issues a six-digit code for five minutes, stores only its HMAC and queues its SMS in the outbox", async () => {
    const harness = await startCustomerHarness();
    const { msisdn, id } = await harness.addSubscriber({ languageCode: "en" });
    const issuedAt = harness.clock.now();

    const response = await loginCalls(harness).start(`+86 ${msisdn}`);
    expect(response.expireTime).toEqual(new Date(issuedAt.getTime() + 5 * MINUTE));
    expect(response.resendTime).toEqual(new Date(issuedAt.getTime() + MINUTE));

    const code = harness.lastLoggedCode(msisdn);
    expect(code).toMatch(/^\d{6}$/);
    const stored = await harness.db.loginCode.findUniqueOrThrow({ where: { msisdn } });
    expect(stored.codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.codeHash).not.toContain(code);

    const outbox = await harness.db.outboxMessage.findMany();
    expect(outbox.map((row) => row.subject)).toEqual(["customer.login_code.issued"]);
    const event = LoginCodeIssuedEvent.decode(outbox[0]!.payload);
    expect(event).toEqual({
      subscriberId: id,
      msisdn,
      code: "",
      sealedCode: expect.any(Uint8Array),
      expireTime: response.expireTime,
      channel: Channel.CHANNEL_WEB_HALL,
      languageCode: "en",
    });
    // Only the notification service's key opens the code, and only for this number.
    expect(Buffer.from(outbox[0]!.payload).toString("latin1")).not.toContain(code);
    const notifyKey = developmentSealingKeys("notify").privateKey;
    expect(open(notifyKey, event.sealedCode, `customer.login_code.issued:${msisdn}`).toString()).toBe(code);
    expect(() => open(notifyKey, event.sealedCode, "customer.login_code.issued:13800138000")).toThrow(SealedBoxError);
  });

  it("refuses a second code within a minute, saying when to retry, then replaces the old code", async () => {
    const harness = await startCustomerHarness();
    const { msisdn } = await harness.addSubscriber();
    const login = loginCalls(harness);
    const first = await login.start(msisdn);
    const firstCode = harness.lastLoggedCode(msisdn);

    harness.clock.advance(20_000);
    const tooSoon = await callFailure(login.start(msisdn));
    expect(tooSoon.code).toBe(8); // RESOURCE_EXHAUSTED
    expect(tooSoon.reason).toBe("LOGIN_CODE_TOO_SOON");
    expect(tooSoon.metadata).toEqual({ resendTime: first.resendTime!.toISOString(), retryAfterSeconds: "40" });
    expect(tooSoon.messages["zh-CN"]).toContain("验证码");

    harness.clock.advance(40_000);
    await login.start(msisdn);
    const secondCode = harness.lastLoggedCode(msisdn);
    if (secondCode !== firstCode) {
      expect((await callFailure(login.verify(msisdn, firstCode))).reason).toBe("LOGIN_CODE_WRONG");
    }
    const verified = await login.verify(msisdn, secondCode);
    expect(verified.subscriber?.msisdn).toBe(msisdn);
    expect(await harness.db.outboxMessage.count()).toBe(2);
  });

  it("answers a retry with the same request_id with the first answer and sends nothing new", async () => {
    const harness = await startCustomerHarness();
    const { msisdn } = await harness.addSubscriber();
    const login = loginCalls(harness);
    const requestId = randomUUID();
    const first = await login.start(msisdn, requestId);

    harness.clock.advance(2 * MINUTE);
    expect(await login.start(msisdn, requestId)).toEqual(first);
    expect(await harness.db.outboxMessage.count()).toBe(1);
    expect(harness.logs.filter((entry) => entry.msg === "login code issued (development)")).toHaveLength(1);

    // The first answer is kept for failures too: a refused request stays refused when retried.
    const refusedId = randomUUID();
    harness.clock.advance(-MINUTE);
    await login.start(msisdn); // a code at t+1min
    expect((await callFailure(login.start(msisdn, refusedId))).reason).toBe("LOGIN_CODE_TOO_SOON");
    harness.clock.advance(2 * MINUTE);
    expect((await callFailure(login.start(msisdn, refusedId))).reason).toBe("LOGIN_CODE_TOO_SOON");
    expect(await harness.db.outboxMessage.count()).toBe(2);
  });

  it("refuses bad input; lets suspended subscribers log in", async () => {
    const harness = await startCustomerHarness();
    const login = loginCalls(harness);
    const suspended = await harness.addSubscriber({ status: "SUSPENDED" });

    expect((await callFailure(login.start("1380013800"))).reason).toBe("MSISDN_MALFORMED");
    expect((await callFailure(login.start(suspended.msisdn, " "))).reason).toBe("REQUEST_ID_REQUIRED");

    await login.start(suspended.msisdn);
    const verified = await login.verify(suspended.msisdn, harness.lastLoggedCode(suspended.msisdn));
    expect(verified.subscriber?.subscriberId).toBe(suspended.id);
    expect(await harness.db.outboxMessage.count()).toBe(1);
  });

  it("answers every well-formed number alike, so nobody can find out who is a subscriber", async () => {
    const harness = await startCustomerHarness();
    const login = loginCalls(harness);
    const subscriber = await harness.addSubscriber();
    const closed = await harness.addSubscriber({ status: "TERMINATED" });
    const numbers = { subscriber: subscriber.msisdn, closed: closed.msisdn, nobody: "13712345678" };

    /** What an outsider sees of each number's answer to `call`: the response, or the whole refusal. */
    const seen = async (call: (msisdn: string) => Promise<unknown>) => {
      const answers: Record<string, unknown> = {};
      for (const [who, msisdn] of Object.entries(numbers)) {
        answers[who] = await call(msisdn).catch((error: ServiceCallError) => ({
          code: error.code,
          reason: error.reason,
          messages: error.messages,
          metadata: error.metadata,
        }));
      }
      return answers;
    };
    const allAlike = (answers: Record<string, unknown>) => {
      expect(answers.closed).toEqual(answers.subscriber);
      expect(answers.nobody).toEqual(answers.subscriber);
      return answers.subscriber;
    };

    const started = allAlike(await seen((msisdn) => login.start(msisdn)));
    expect(started).toEqual({
      expireTime: new Date(harness.clock.now().getTime() + 5 * MINUTE),
      resendTime: new Date(harness.clock.now().getTime() + MINUTE),
    });
    harness.clock.advance(10_000);
    expect(allAlike(await seen((msisdn) => login.start(msisdn)))).toMatchObject({ reason: "LOGIN_CODE_TOO_SOON" });

    // Only the subscriber's phone gets a code.
    const outbox = await harness.db.outboxMessage.findMany();
    expect(outbox).toHaveLength(1);
    expect(LoginCodeIssuedEvent.decode(outbox[0]!.payload).msisdn).toBe(subscriber.msisdn);
    const code = harness.lastLoggedCode(subscriber.msisdn);
    expect(() => harness.lastLoggedCode(closed.msisdn)).toThrow();
    expect(() => harness.lastLoggedCode(numbers.nobody)).toThrow();

    // Guessing tells nothing either: wrong codes count and lock every number the same way.
    for (const attemptsLeft of [4, 3, 2, 1]) {
      const wrong = allAlike(await seen((msisdn) => login.verify(msisdn, wrongCode(code))));
      expect(wrong).toMatchObject({ reason: "LOGIN_CODE_WRONG", metadata: { attemptsLeft: String(attemptsLeft) } });
    }
    expect(allAlike(await seen((msisdn) => login.verify(msisdn, wrongCode(code))))).toMatchObject({
      reason: "LOGIN_LOCKED",
    });
    expect(allAlike(await seen((msisdn) => login.start(msisdn)))).toMatchObject({ reason: "LOGIN_LOCKED" });
  });

  it("texts no code to a closed number, and says it is closed only to whoever holds a code sent before", async () => {
    const harness = await startCustomerHarness();
    const login = loginCalls(harness);
    const { msisdn } = await harness.addSubscriber();
    await login.start(msisdn);
    const code = harness.lastLoggedCode(msisdn);
    await harness.db.subscriber.update({ where: { msisdn }, data: { status: "TERMINATED" } });

    const inactive = await callFailure(login.verify(msisdn, code));
    expect([inactive.code, inactive.reason]).toEqual([9, "SUBSCRIBER_INACTIVE"]);
    expect(inactive.messages.en).toContain("closed");

    harness.clock.advance(MINUTE);
    await login.start(msisdn);
    expect(harness.lastLoggedCode(msisdn)).toBe(code); // nothing new was logged, nor queued
    expect(await harness.db.outboxMessage.count()).toBe(1);
  });
});
