import { connect } from "node:net";
import { demoSubscribers } from "@omnihall/demo-data";
import { createSigner } from "fast-jwt";
import { describe, expect, it } from "vitest";
import { loadWebHallConfig } from "./config.js";
import { webHallUnderTest } from "./testing/platform-under-test.js";

const [alice, bob] = demoSubscribers(2);

describe("web hall, end to end over HTTP → gRPC → PostgreSQL", () => {
  it("logs a subscriber in by SMS code and shows only their own balance, payments and bills", async () => {
    const hall = await webHallUnderTest();
    const token = await hall.login(alice!.msisdn);

    const me = await hall.call("GET", "/v1/me", { token });
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({ subscriberId: alice!.subscriberId, msisdn: alice!.msisdn, status: "ACTIVE" });

    const balance = await hall.call("GET", "/v1/me/balance", { token });
    expect(balance).toMatchObject({ status: 200, body: { balanceFen: Number(alice!.balanceFen) } });

    const bills = await hall.call("GET", "/v1/me/bills?pageSize=2", { token });
    expect(bills.status).toBe(200);
    expect(bills.body.bills).toHaveLength(2);
    expect(bills.body.nextPageToken).not.toBe("");
    const more = await hall.call(
      "GET",
      `/v1/me/bills?pageSize=10&pageToken=${encodeURIComponent(bills.body.nextPageToken)}`,
      { token },
    );
    expect(more.body.bills).toHaveLength(4);

    const bill = await hall.call("GET", `/v1/me/bills/${bills.body.bills[0].billId}`, { token });
    expect(bill.status).toBe(200);
    expect(bill.body.lines[0]).toMatchObject({
      kind: "PLAN_FEE",
      description: { "zh-CN": expect.any(String), en: expect.any(String) },
    });

    // Bob's session cannot reach Alice's bill: it is not found for him.
    const bobToken = await hall.login(bob!.msisdn);
    const stolen = await hall.call("GET", `/v1/me/bills/${bills.body.bills[0].billId}`, {
      token: bobToken,
      headers: { "accept-language": "en" },
    });
    expect(stolen).toMatchObject({
      status: 404,
      body: { error: { reason: "BILL_NOT_FOUND", message: "The bill was not found." } },
    });
  });

  it("tops up once per Idempotency-Key: 50 concurrent retries, one payment, paid on the gateway's page, credited once", async () => {
    const hall = await webHallUnderTest();
    const token = await hall.login(alice!.msisdn);
    const topUp = () =>
      hall.call("POST", "/v1/me/top-ups", {
        token,
        headers: { "idempotency-key": "topup-0001-abcdef" },
        body: { amountFen: 5000, paymentMethod: "WECHAT_PAY" },
      });
    const answers = await Promise.all(Array.from({ length: 50 }, topUp));

    expect(answers.map((a) => a.status)).toEqual(Array(50).fill(201));
    expect(new Set(answers.map((a) => JSON.stringify(a.body))).size).toBe(1);
    const { payment } = answers[0]!.body;
    expect(payment).toMatchObject({
      amountFen: 5000,
      paymentMethod: "WECHAT_PAY",
      channel: "WEB_HALL",
      status: "PENDING",
    });
    expect(payment.payUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/pay\/wechat\/pay_/);
    // Nothing is credited on the hall's word: only when the gateway's signed notification reaches billing.
    const before = await hall.call("GET", "/v1/me/balance", { token });
    expect(before.body.balanceFen).toBe(Number(alice!.balanceFen));
    const page = await fetch(payment.payUrl, { method: "POST", redirect: "manual" }); // the pay button
    expect(page.status).toBe(303);
    const followed = () => hall.call("GET", `/v1/me/top-ups/${payment.paymentId}`, { token });
    await expect.poll(async () => (await followed()).body.payment.status, { timeout: 10_000 }).toBe("SUCCEEDED");
    const balance = await hall.call("GET", "/v1/me/balance", { token });
    expect(balance.body.balanceFen).toBe(Number(alice!.balanceFen) + 5000);
    const payments = await hall.call("GET", "/v1/me/payments", { token });
    expect(payments.body.payments).toHaveLength(1);

    // The same key from another subscriber is another top-up, not a collision.
    const bobToken = await hall.login(bob!.msisdn);
    const bobs = await hall.call("POST", "/v1/me/top-ups", {
      token: bobToken,
      headers: { "idempotency-key": "topup-0001-abcdef" },
      body: { amountFen: 100, paymentMethod: "ALIPAY" },
    });
    expect(bobs.status).toBe(201);
  });

  it.each([
    ["zero", { amountFen: 0, paymentMethod: "ALIPAY" }, 400, "AMOUNT_NOT_POSITIVE"],
    ["negative", { amountFen: -5, paymentMethod: "ALIPAY" }, 400, "AMOUNT_NOT_POSITIVE"],
    ["fractional", { amountFen: 10.5, paymentMethod: "ALIPAY" }, 400, "REQUEST_INVALID"],
    ["over the limit", { amountFen: 500_001, paymentMethod: "ALIPAY" }, 400, "AMOUNT_OVER_LIMIT"],
    ["unknown payment method", { amountFen: 100, paymentMethod: "BITCOIN" }, 400, "REQUEST_INVALID"],
    ["missing amount", { paymentMethod: "ALIPAY" }, 400, "REQUEST_INVALID"],
  ])("refuses a %s top-up with a clear, localized error", async (_label, body, status, reason) => {
    const hall = await webHallUnderTest();
    const token = await hall.login(alice!.msisdn);
    const answer = await hall.call("POST", "/v1/me/top-ups", {
      token,
      headers: { "idempotency-key": `key-${reason}-x` },
      body,
    });
    expect(answer.status).toBe(status);
    expect(answer.body.error.reason).toBe(reason);
    expect(answer.body.error.messages["zh-CN"]).toBeTruthy();
    expect(answer.body.error.messages.en).toBeTruthy();
    expect(JSON.stringify(answer.body)).not.toMatch(/at .*\.ts:\d+/);
  });

  it("answers bad input and missing sessions with 4xx and stable reasons, never a 500", async () => {
    const hall = await webHallUnderTest();
    const cases: Array<[string, string, Parameters<typeof hall.call>[2], number, string]> = [
      ["POST", "/v1/login/codes", { body: { msisdn: "12345" } }, 400, "MSISDN_MALFORMED"],
      ["POST", "/v1/login/codes", { body: "{not json" }, 400, "BODY_MALFORMED"],
      ["POST", "/v1/login/codes", { body: {} }, 400, "REQUEST_INVALID"],
      ["POST", "/v1/sessions", { body: { msisdn: alice!.msisdn, code: "000000" } }, 401, "LOGIN_CODE_MISSING"],
      ["GET", "/v1/me/balance", {}, 401, "SESSION_REQUIRED"],
      ["GET", "/v1/me/balance", { token: "not-a-token" }, 401, "SESSION_INVALID"],
      ["GET", "/v1/me/payments?pageSize=0", { token: "x.y.z" }, 401, "SESSION_INVALID"],
      ["GET", "/v1/nothing-here", {}, 404, "ROUTE_NOT_FOUND"],
    ];
    for (const [method, path, options, status, reason] of cases) {
      const answer = await hall.call(method, path, options);
      expect({ path, status: answer.status, reason: answer.body?.error?.reason }).toEqual({ path, status, reason });
    }
    const token = await hall.login(alice!.msisdn);
    const noKey = await hall.call("POST", "/v1/me/top-ups", {
      token,
      body: { amountFen: 100, paymentMethod: "ALIPAY" },
    });
    expect(noKey).toMatchObject({ status: 400, body: { error: { reason: "IDEMPOTENCY_KEY_REQUIRED" } } });
    const badToken = await hall.call("GET", "/v1/me/payments?pageToken=garbage", { token });
    expect(badToken).toMatchObject({ status: 400, body: { error: { reason: "PAGE_TOKEN_INVALID" } } });
  });

  it("rejects an expired session", async () => {
    const hall = await webHallUnderTest({ SESSION_TTL_MINUTES: "1" });
    const token = await hall.login(alice!.msisdn);
    // Signed with the hall's own key as if two minutes ago, with its one-minute lifetime: only the clock makes it
    // invalid.
    const party = { kind: "subscriber" as const, subscriberId: alice!.subscriberId, msisdn: alice!.msisdn };
    const { token: expired } = hall.app.sessions.issue(party, new Date(Date.now() - 2 * 60_000));
    expect((await hall.call("GET", "/v1/me/balance", { token })).status).toBe(200);
    const answer = await hall.call("GET", "/v1/me/balance", { token: expired });
    expect(answer).toMatchObject({ status: 401, body: { error: { reason: "SESSION_EXPIRED" } } });
  });

  it("serves its OpenAPI document", async () => {
    const hall = await webHallUnderTest();
    const doc = await hall.call("GET", "/openapi.json");
    expect(doc.status).toBe(200);
    expect(doc.body.openapi).toMatch(/^3\./);
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        "/v1/login/codes",
        "/v1/sessions",
        "/v1/me/balance",
        "/v1/me/top-ups",
        "/v1/me/payments",
        "/v1/me/bills/{billId}",
      ]),
    );
  });

  it("names the logged-in subscriber as the acting party on every service call", async () => {
    const hall = await webHallUnderTest();
    const token = await hall.login(alice!.msisdn);
    const answer = await hall.call("GET", "/v1/me/balance", { token, headers: { "x-request-id": "party-check-1" } });
    expect(answer.status).toBe(200);
    const [call] = hall.billingCallsOf("party-check-1");
    expect(call).toMatchObject({ caller: "web-hall", party: { kind: "subscriber", id: alice!.subscriberId } });
  });
});

/** Each of these was a defect found by trying the web hall as an outsider would (issue #7). */
describe("web hall regressions", () => {
  it("replaces a non-ASCII x-request-id (was 500 INTERNAL) and a 10 KB one (was echoed and forwarded)", async () => {
    const hall = await webHallUnderTest();
    const token = await hall.login(alice!.msisdn);
    for (const given of ["ü", "r".repeat(10 * 1024)]) {
      const answer = await hall.call("GET", "/v1/me/balance", { token, headers: { "x-request-id": given } });
      expect(answer.status).toBe(200);
      const id = answer.headers.get("x-request-id")!;
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(hall.billingCallsOf(id)).toHaveLength(1);
    }
  });

  it("refuses coerced or out-of-range amountFen with 400 and moves no money", async () => {
    const hall = await webHallUnderTest();
    const token = await hall.login(alice!.msisdn);
    // true topped up 1 fen; "5000", [5000] and " 7 " were coerced; 99999999999999999999 was a 502.
    for (const amount of ["true", '"5000"', "[5000]", '" 7 "', "99999999999999999999"]) {
      const answer = await hall.call("POST", "/v1/me/top-ups", {
        token,
        headers: { "idempotency-key": "coercion-0001" },
        body: `{"amountFen": ${amount}, "paymentMethod": "ALIPAY"}`,
      });
      expect({ amount, status: answer.status, reason: answer.body.error?.reason }).toEqual({
        amount,
        status: 400,
        reason: "REQUEST_INVALID",
      });
    }
    const balance = await hall.call("GET", "/v1/me/balance", { token });
    expect(balance.body.balanceFen).toBe(Number(alice!.balanceFen));
  });

  it("answers fastify's own errors in the envelope: %ZZ, text/plain, unknown properties, 431", async () => {
    const hall = await webHallUnderTest();
    const token = await hall.login(alice!.msisdn);
    const cases: Array<[string, string, Parameters<typeof hall.call>[2], number, string]> = [
      ["GET", "/v1/me/bills/%ZZ", { token }, 400, "URL_MALFORMED"],
      ["GET", "/v1/%ZZ", {}, 400, "URL_MALFORMED"],
      [
        "POST",
        "/v1/login/codes",
        { body: '{"msisdn":"13800000000"}', headers: { "content-type": "text/plain" } },
        415,
        "MEDIA_TYPE_UNSUPPORTED",
      ],
      [
        "POST",
        "/v1/me/top-ups",
        {
          token,
          headers: { "idempotency-key": "unknown-prop-1" },
          body: { amountFen: 100, paymentMethod: "ALIPAY", subscriberId: bob!.subscriberId },
        },
        400,
        "REQUEST_INVALID",
      ],
    ];
    for (const [method, path, options, status, reason] of cases) {
      const answer = await hall.call(method, path, options);
      expect({ path, status: answer.status, reason: answer.body?.error?.reason }).toEqual({ path, status, reason });
    }
    expect((await hall.call("GET", "/v1/me/payments", { token })).body.payments).toHaveLength(0);

    const { hostname, port } = new URL(hall.url);
    const raw = await new Promise<string>((resolve, reject) => {
      const socket = connect({ host: hostname, port: Number(port) }, () =>
        socket.write(`GET /v1/me HTTP/1.1\r\nHost: x\r\nCookie: ${"c".repeat(40_000)}\r\n\r\n`),
      );
      let text = "";
      socket.on("data", (chunk) => (text += chunk.toString()));
      socket.on("end", () => resolve(text));
      socket.on("error", reject);
    });
    expect(raw).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(raw.slice(raw.indexOf("\r\n\r\n") + 4)).error.reason).toBe("HEADERS_TOO_LARGE");
  });

  it("refuses tokens signed HS512 or without an expiry (401), even with the hall's own secret", async () => {
    const hall = await webHallUnderTest();
    const secret = loadWebHallConfig({}).SESSION_SECRET;
    const now = Math.floor(Date.now() / 1000);
    const claims = {
      sid: "forged",
      sat: Date.now(),
      party: { kind: "subscriber", subscriberId: alice!.subscriberId, msisdn: alice!.msisdn },
      iss: "web-hall",
      iat: now,
    };
    for (const token of [
      createSigner({ key: secret, algorithm: "HS512" })({ ...claims, exp: now + 600 }),
      createSigner({ key: secret, algorithm: "HS256" })(claims),
    ]) {
      const answer = await hall.call("GET", "/v1/me/balance", { token });
      expect(answer).toMatchObject({ status: 401, body: { error: { reason: "SESSION_INVALID" } } });
    }
  });

  it("keeps a browser session in cookies and refuses a change without its CSRF token (403)", async () => {
    const hall = await webHallUnderTest();
    const { cookie, csrfToken } = await hall.browserLogin(alice!.msisdn);
    expect((await hall.call("GET", "/v1/me/balance", { cookie })).status).toBe(200);
    const topUp = (headers: Record<string, string>) =>
      hall.call("POST", "/v1/me/top-ups", {
        cookie,
        headers: { "idempotency-key": "cookie-topup-1", ...headers },
        body: { amountFen: 100, paymentMethod: "ALIPAY" },
      });
    expect(await topUp({})).toMatchObject({ status: 403, body: { error: { reason: "CSRF_TOKEN_INVALID" } } });
    expect((await topUp({ "x-csrf-token": csrfToken })).status).toBe(201);

    const logout = await hall.call("DELETE", "/v1/sessions/current", {
      cookie,
      headers: { "x-csrf-token": csrfToken },
    });
    expect(logout.status).toBe(204);
    const after = await hall.call("GET", "/v1/me/balance", { cookie });
    expect(after).toMatchObject({ status: 401, body: { error: { reason: "SESSION_REVOKED" } } });
  });
});
