import { randomUUID } from "node:crypto";
import { withIdCheckCharacter } from "@omnihall/orders";
import { createSigner } from "fast-jwt";
import { describe, expect, it } from "vitest";
import { GUANGZHOU, miniHallPlatform, SHENZHEN } from "./testing/mini-platform.js";
import { openingBody } from "./testing/openings.js";

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const key = () => randomUUID().replaceAll("-", "");

async function freeNumbers(platform: Awaited<ReturnType<typeof miniHallPlatform>>, token: string, count: number) {
  const answer = await platform.call("GET", `/v1/numbers?pageSize=${count}`, undefined, bearer(token));
  expect(answer.status).toBe(200);
  return (answer.body.numbers as Array<{ msisdn: string }>).map((n) => n.msisdn);
}

describe("mini hall API", () => {
  it("logs an agent in on a registered handheld only, with clear refusals", async () => {
    const platform = await miniHallPlatform();
    const login = (body: Record<string, string>) =>
      platform.call("POST", "/v1/sessions", {
        agentId: SHENZHEN.id,
        pin: "123456",
        deviceId: SHENZHEN.handheldId,
        ...body,
      });

    const ok = await login({});
    expect(ok.status).toBe(201);
    expect(ok.body.agent).toMatchObject({ agentId: SHENZHEN.id, territory: { provinceCode: "GD", city: "深圳" } });

    const unregistered = await login({ deviceId: "someones-own-phone" });
    expect([unregistered.status, unregistered.body.error.reason]).toEqual([403, "DEVICE_NOT_REGISTERED"]);
    expect(unregistered.body.error.message).toContain("终端");
    const wrongPin = await login({ pin: "000000" });
    expect([wrongPin.status, wrongPin.body.error.reason]).toEqual([401, "AGENT_CREDENTIALS_WRONG"]);
    expect(wrongPin.body.error.message).toContain("还可尝试 4 次");
  });

  it("counts a login the handheld resends (same Idempotency-Key) as one PIN attempt", async () => {
    const platform = await miniHallPlatform();
    const wrong = { agentId: GUANGZHOU.id, pin: "000000", deviceId: GUANGZHOU.handheldId };
    const attempt = (idempotencyKey: string, body: Record<string, string> = wrong) =>
      platform.call("POST", "/v1/sessions", body, { "idempotency-key": idempotencyKey });
    const resent = key();
    // The answer was lost on the way back; the handheld sends the very same request again, twice.
    for (let i = 0; i < 3; i++) {
      const answer = await attempt(resent);
      expect([answer.status, answer.body.error.reason]).toEqual([401, "AGENT_CREDENTIALS_WRONG"]);
      expect(answer.body.error.message).toContain("还可尝试 4 次");
    }
    // The agent's next try is a login of its own: counted.
    expect((await attempt(key())).body.error.message).toContain("还可尝试 3 次");
    // The right PIN under the wrong attempt's key gets that attempt's answer, not a session.
    const right = { ...wrong, pin: "123456" };
    expect((await attempt(resent, right)).status).toBe(401);
    const good = key();
    expect((await attempt(good, right)).status).toBe(201);
    expect((await attempt(good, right)).status).toBe(201);
    // A good login's key with another PIN is no session, and that PIN is counted.
    const replayed = await attempt(good, wrong);
    expect([replayed.status, replayed.body.error.reason]).toEqual([409, "REQUEST_ID_REUSED"]);
    expect((await attempt(key())).body.error.message).toContain("还可尝试 3 次");
    expect((await attempt("bad key!")).body.error.reason).toBe("IDEMPOTENCY_KEY_REQUIRED");
  });

  it("refuses expired and forged tokens", async () => {
    const platform = await miniHallPlatform();
    const now = Math.floor(Date.now() / 1000);
    const party = { kind: "agent", agentId: SHENZHEN.id, territory: { provinceCode: "GD" } };
    const sign = createSigner({ key: platform.sessionSecret, algorithm: "HS256" });
    const expired = sign({
      iss: "mini-hall",
      sid: "s1",
      sat: (now - 3600) * 1000,
      party,
      iat: now - 3600,
      exp: now - 60,
    });
    const answer = await platform.call("GET", "/v1/day", undefined, bearer(expired));
    expect([answer.status, answer.body.error.reason]).toEqual([401, "SESSION_EXPIRED"]);
    const forged = createSigner({ key: "x".repeat(40), algorithm: "HS256" })({
      iss: "mini-hall",
      sid: "s2",
      sat: now * 1000,
      party,
    });
    expect((await platform.call("GET", "/v1/day", undefined, bearer(forged))).body.error.reason).toBe(
      "SESSION_INVALID",
    );
    expect((await platform.call("GET", "/v1/numbers")).status).toBe(401);
  });

  it("opens an account once however often the handheld replays it, and refuses bad ID numbers", async () => {
    const platform = await miniHallPlatform();
    const token = await platform.logIn();
    const [number] = await freeNumbers(platform, token, 1);
    const idempotency = key();
    const send = (body: unknown) =>
      platform.call("POST", "/v1/account-openings", body, { ...bearer(token), "idempotency-key": idempotency });

    const first = await send(openingBody(number!));
    expect(first.status).toBe(201);
    expect(first.body.accountOpening).toMatchObject({ state: "OPENED", number, holderName: "张三" });
    const replay = await send(openingBody(number!));
    expect(replay.body.accountOpening.accountOpeningId).toBe(first.body.accountOpening.accountOpeningId);
    expect(await platform.ordersDb.accountOpening.count()).toBe(1);

    for (const [idNumber, reason] of [
      ["440305199003071230", "ID_NUMBER_CHECKSUM_WRONG"],
      ["4403051990030712", "ID_NUMBER_MALFORMED"],
      [withIdCheckCharacter("44030519900230123"), "ID_NUMBER_BIRTH_DATE_INVALID"],
    ] as const) {
      const refused = await platform.call("POST", "/v1/account-openings", openingBody(number!, { idNumber }), {
        ...bearer(token),
        "idempotency-key": key(),
      });
      expect([refused.status, refused.body.error.reason]).toEqual([400, reason]);
      expect(refused.body.error.messages.en).not.toBe("");
    }
    const noKey = await platform.call("POST", "/v1/account-openings", openingBody(number!), bearer(token));
    expect(noKey.body.error.reason).toBe("IDEMPOTENCY_KEY_REQUIRED");
    expect(await platform.ordersDb.accountOpening.count()).toBe(1);
  });

  it("applies a replayed sync batch once, reports a number taken meanwhile, and keeps agents apart", async () => {
    const platform = await miniHallPlatform();
    const shenzhen = await platform.logIn(SHENZHEN);
    const guangzhou = await platform.logIn(GUANGZHOU);
    const [a, b, taken] = await freeNumbers(platform, shenzhen, 3);
    // Someone else sold `taken` while the handheld was offline.
    const elsewhere = await platform.call("POST", "/v1/account-openings", openingBody(taken!), {
      ...bearer(guangzhou),
      "idempotency-key": key(),
    });
    expect(elsewhere.status).toBe(201);

    const batch = {
      items: [
        { key: key(), opening: openingBody(a!) },
        { key: key(), opening: openingBody(b!) },
        { key: key(), opening: openingBody(taken!) },
      ],
    };
    const sync = () => platform.call("POST", "/v1/sync", batch, bearer(shenzhen));
    const [first, second] = await Promise.all([sync(), sync()]);
    const third = await sync();
    for (const answer of [first, second, third]) {
      expect(answer.status).toBe(200);
      expect(answer.body.results.map((r: { outcome: string }) => r.outcome)).toEqual(["APPLIED", "APPLIED", "REFUSED"]);
      expect(answer.body.results[2].error.reason).toBe("NUMBER_NOT_AVAILABLE");
      expect(answer.body.results[2].error.messages["zh-CN"]).toContain("另选号码");
    }
    const ids = (answer: typeof first) =>
      answer.body.results
        .slice(0, 2)
        .map((r: { accountOpening: { accountOpeningId: string } }) => r.accountOpening.accountOpeningId);
    expect(ids(second)).toEqual(ids(first));
    expect(ids(third)).toEqual(ids(first));
    // Three of this agent's (two opened, one failed) and the other agent's one: nothing applied twice.
    expect(await platform.ordersDb.accountOpening.count()).toBe(4);

    // The agent's day counts their own only; the other agent sees none of them.
    const day = await platform.call("GET", "/v1/day", undefined, bearer(shenzhen));
    expect(day.body.totals).toMatchObject({ accountOpenings: 3, opened: 2, failed: 1, inProgress: 0 });
    const id = first.body.results[0].accountOpening.accountOpeningId;
    const foreign = await platform.call("GET", `/v1/account-openings/${id}`, undefined, bearer(guangzhou));
    expect([foreign.status, foreign.body.error.reason]).toEqual([404, "ACCOUNT_OPENING_NOT_FOUND"]);
    // The other agent replaying this agent's batch keys gets openings of their own (keys are per agent) — here
    // refused, the numbers being sold — never this agent's openings.
    const replayedByOther = await platform.call(
      "POST",
      "/v1/sync",
      { items: batch.items.slice(0, 1) },
      bearer(guangzhou),
    );
    expect(replayedByOther.body.results[0]).toMatchObject({
      outcome: "REFUSED",
      error: { reason: "NUMBER_NOT_AVAILABLE" },
    });
    // A subscriber outside the agent's city is out of reach.
    const outside = await platform.call("GET", `/v1/subscribers/${a}`, undefined, bearer(guangzhou));
    expect([outside.status, outside.body.error.reason]).toEqual([403, "OUTSIDE_PARTY_SCOPE"]);
    const inside = await platform.call("GET", `/v1/subscribers/${a}`, undefined, bearer(shenzhen));
    expect(inside.body.subscriber).toMatchObject({ msisdn: a, displayName: "张三", city: "深圳" });
  });
});
