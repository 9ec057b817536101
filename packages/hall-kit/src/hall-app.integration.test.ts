import { mkdtemp, mkdir, writeFile } from "node:fs/promises";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createSigner } from "fast-jwt";
import type { FastifyInstance } from "fastify";
import { describe, expect, it, vi } from "vitest";
import { fenAmount } from "./requests/body-rules.js";
import { callOptions } from "./requests/call-options.js";
import { idempotencyKeyHeader, idempotentRequestId } from "./requests/idempotency.js";
import { partyOf, requireSession, sessionRoutes, startSession } from "./sessions/sessions-plugin.js";
import { sendEvents } from "./sse.js";
import { ALICE, BOB, TEST_SECRET, testHall, type TestHallContext } from "./testing/test-hall.js";

/** The routes a small hall built on the kit has: login, a session-only read, a mutation, a money body. */
async function exampleRoutes(app: FastifyInstance, { customer }: TestHallContext) {
  app.post<{ Body: { msisdn: string; transport?: "bearer" | "cookie" } }>(
    "/v1/sessions",
    {
      schema: {
        body: {
          type: "object",
          required: ["msisdn"],
          additionalProperties: false,
          properties: { msisdn: { type: "string" }, transport: { type: "string", enum: ["bearer", "cookie"] } },
        },
      },
    },
    async (request, reply) => {
      const party = [ALICE, BOB].find((p) => p.msisdn === request.body.msisdn) ?? ALICE;
      return reply.code(201).send(startSession(app, reply, party, request.body.transport ?? "bearer"));
    },
  );
  await app.register(sessionRoutes, { prefix: "/v1/sessions/current" });

  app.get("/v1/public", { schema: { summary: "Anonymous read" } }, async (request) => {
    const { subscriber } = await customer.getSubscriber({ msisdn: "13800000003" }, callOptions(request));
    return { msisdn: subscriber!.msisdn };
  });
  app.post<{ Body: { amountFen: number; note?: string } }>(
    "/v1/things",
    {
      schema: {
        body: {
          type: "object",
          required: ["amountFen"],
          additionalProperties: false,
          properties: { amountFen: fenAmount(), note: { type: "string", maxLength: 20 } },
        },
      },
    },
    async (request) => ({ amountFen: request.body.amountFen }),
  );
  app.get<{ Querystring: { pageSize?: number } }>(
    "/v1/list",
    {
      schema: {
        querystring: {
          type: "object",
          additionalProperties: false,
          properties: { pageSize: { type: "integer", minimum: 1, maximum: 100 } },
        },
      },
    },
    async (request) => ({ pageSize: request.query.pageSize }),
  );
  app.get("/v1/boom", async () => {
    throw new Error("database at postgres://user:secret@db failed (src/x.ts:12)");
  });

  await app.register(async (account) => {
    account.addHook("onRequest", requireSession("subscriber"));
    account.get("/v1/me", async (request) => {
      const { subscriber } = await customer.getSubscriber(
        { subscriberId: partyOf(request, "subscriber").subscriberId },
        callOptions(request),
      );
      return { subscriberId: subscriber!.subscriberId };
    });
    account.post("/v1/me/orders", { schema: { headers: idempotencyKeyHeader } }, async (request) => ({
      requestId: idempotentRequestId(request, "web-hall"),
    }));
  });
}

async function login(hall: Awaited<ReturnType<typeof testHall>>, msisdn = ALICE.msisdn) {
  const answer = await hall.call("POST", "/v1/sessions", { body: { msisdn } });
  return answer.body.token as string;
}

/** One HTTP/1.1 exchange on a raw socket, for requests fetch refuses to send. */
function rawExchange(url: string, request: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) }, () => socket.write(request));
    let answer = "";
    socket.on("data", (chunk) => (answer += chunk.toString("utf8")));
    socket.on("end", () => resolve(answer));
    socket.on("error", reject);
  });
}

function bodyOf(rawAnswer: string) {
  return JSON.parse(rawAnswer.slice(rawAnswer.indexOf("\r\n\r\n") + 4)) as { error: { reason: string } };
}

describe("the error envelope for every error", () => {
  it("answers fastify's own errors in the envelope with stable reasons, never a bare fastify error", async () => {
    const hall = await testHall({ routes: exampleRoutes });
    const cases: Array<[string, string, Parameters<typeof hall.call>[2], number, string]> = [
      ["GET", "/v1/%ZZ", {}, 400, "URL_MALFORMED"],
      ["GET", "/v1/nothing-here", {}, 404, "ROUTE_NOT_FOUND"],
      [
        "POST",
        "/v1/things",
        { body: "amountFen=5", headers: { "content-type": "text/plain" } },
        415,
        "MEDIA_TYPE_UNSUPPORTED",
      ],
      [
        "POST",
        "/v1/things",
        { body: "<x/>", headers: { "content-type": "application/xml" } },
        415,
        "MEDIA_TYPE_UNSUPPORTED",
      ],
      ["POST", "/v1/things", { body: "{not json" }, 400, "BODY_MALFORMED"],
      ["POST", "/v1/things", { body: '{"__proto__":{"x":1},"amountFen":1}' }, 400, "BODY_MALFORMED"],
      ["POST", "/v1/things", { body: { amountFen: 1, note: "x".repeat(70_000) } }, 413, "BODY_TOO_LARGE"],
      ["POST", "/v1/things", { body: { amountFen: 1, admin: true } }, 400, "REQUEST_INVALID"],
      ["GET", "/v1/list?pageSize=0", {}, 400, "REQUEST_INVALID"],
      ["GET", "/v1/list?pageSize=2&debug=1", {}, 400, "REQUEST_INVALID"],
      ["GET", "/v1/boom", {}, 500, "INTERNAL"],
    ];
    for (const [method, url, init, status, reason] of cases) {
      const answer = await hall.call(method, url, init);
      expect({ url, status: answer.status, reason: answer.body?.error?.reason }).toEqual({ url, status, reason });
      expect(answer.body.error.messages).toEqual({ "zh-CN": expect.any(String), en: expect.any(String) });
      expect(JSON.stringify(answer.body)).not.toMatch(/secret|\.ts:\d+|statusCode|FST_/);
    }
    const english = await hall.call("GET", "/v1/%ZZ", { headers: { "accept-language": "en-US,en;q=0.9" } });
    expect(english.body.error.message).toBe("The request URL is malformed.");
    expect(english.headers.get("content-language")).toBe("en");
    // Query strings are text: they are still read as numbers.
    expect((await hall.call("GET", "/v1/list?pageSize=20")).body).toEqual({ pageSize: 20 });
  });

  it("answers 431 for huge headers in the envelope, on the raw connection", async () => {
    const hall = await testHall({ routes: exampleRoutes });
    const answer = await rawExchange(
      hall.url,
      `GET /v1/public HTTP/1.1\r\nHost: x\r\nX-Filler: ${"a".repeat(40_000)}\r\n\r\n`,
    );
    expect(answer).toMatch(/^HTTP\/1\.1 431 /);
    expect(answer).toMatch(/content-type: application\/json/i);
    expect(bodyOf(answer).error).toMatchObject({ reason: "HEADERS_TOO_LARGE", messages: { en: expect.any(String) } });

    const garbage = await rawExchange(hall.url, "NOT HTTP AT ALL\r\n\r\n");
    expect(garbage).toMatch(/^HTTP\/1\.1 400 /);
    expect(bodyOf(garbage).error.reason).toBe("REQUEST_MALFORMED");
  });

  it.each([
    ["true", true],
    ['"5000"', "5000"],
    ["[5000]", [5000]],
    ['" 7 "', " 7 "],
    ["a fraction", 10.5],
    ["99999999999999999999", "RAW:99999999999999999999"],
    ["-99999999999999999999", "RAW:-99999999999999999999"],
    ["null", null],
    ["an object", { fen: 5000 }],
  ])("refuses a money field of %s with 400, no coercion", async (_label, amount) => {
    const hall = await testHall({ routes: exampleRoutes });
    const body =
      typeof amount === "string" && amount.startsWith("RAW:")
        ? `{"amountFen": ${amount.slice(4)}}`
        : JSON.stringify({ amountFen: amount });
    const answer = await hall.call("POST", "/v1/things", { body });
    expect(answer.status).toBe(400);
    expect(answer.body.error.reason).toBe("REQUEST_INVALID");
  });

  it("takes a JSON integer amount as it is", async () => {
    const hall = await testHall({ routes: exampleRoutes });
    const answer = await hall.call("POST", "/v1/things", { body: { amountFen: 5000 } });
    expect(answer).toMatchObject({ status: 200, body: { amountFen: 5000 } });
    const largest = await hall.call("POST", "/v1/things", { body: `{"amountFen": ${Number.MAX_SAFE_INTEGER}}` });
    expect(largest.body.amountFen).toBe(Number.MAX_SAFE_INTEGER);
  });

  it("passes a service's reason and messages through, and maps its status to HTTP", async () => {
    const hall = await testHall({
      routes: exampleRoutes,
      overrides: {
        getSubscriber: async () => {
          const { notFound } = await import("@omnihall/service-kit");
          throw notFound("SUBSCRIBER_NOT_FOUND", { "zh-CN": "用户不存在。", en: "No such subscriber." });
        },
      },
    });
    const answer = await hall.call("GET", "/v1/public", { headers: { "accept-language": "en" } });
    expect(answer).toMatchObject({
      status: 404,
      body: {
        error: {
          reason: "SUBSCRIBER_NOT_FOUND",
          message: "No such subscriber.",
          messages: { "zh-CN": "用户不存在。" },
        },
      },
    });
  });

  it("answers 503 with the envelope when the service is down", async () => {
    const hall = await testHall({ routes: exampleRoutes });
    hall.customer.close();
    const answer = await hall.call("GET", "/v1/public");
    expect(answer.status).toBeGreaterThanOrEqual(500);
    expect(answer.body.error.messages.en).toBeTruthy();
  });
});

describe("request ids", () => {
  it.each([
    ["a non-ASCII id", "ü"],
    ["a 10 KB id", "x".repeat(10 * 1024)],
    ["an id with spaces", "abc def"],
  ])("replaces %s with a fresh one: no 500, never echoed or forwarded", async (_label, given) => {
    const hall = await testHall({ routes: exampleRoutes });
    const answer = await hall.call("GET", "/v1/public", { headers: { "x-request-id": given } });
    expect(answer.status).toBe(200);
    const echoed = answer.headers.get("x-request-id")!;
    expect(echoed).toMatch(/^[0-9a-f-]{36}$/);
    expect(hall.calls.at(-1)!.requestId).toBe(echoed);
  });

  it("carries a well-formed id to the service and back", async () => {
    const hall = await testHall({ routes: exampleRoutes });
    const answer = await hall.call("GET", "/v1/public", { headers: { "x-request-id": "trace-0001.abc:def" } });
    expect(answer.headers.get("x-request-id")).toBe("trace-0001.abc:def");
    expect(hall.calls.at(-1)!.requestId).toBe("trace-0001.abc:def");
  });
});

describe("sessions", () => {
  function forged(claims: Record<string, unknown>, algorithm: "HS256" | "HS512" = "HS256", key = TEST_SECRET) {
    return createSigner({ key, algorithm })(claims);
  }
  const now = () => Math.floor(Date.now() / 1000);
  const validClaims = () => ({
    sid: "s1",
    sat: Date.now(),
    party: ALICE,
    iss: "web-hall",
    iat: now(),
    exp: now() + 600,
  });

  it("serves a bearer session and names its party on every service call", async () => {
    const hall = await testHall({ routes: exampleRoutes });
    const token = await login(hall);
    const me = await hall.call("GET", "/v1/me", { token });
    expect(me).toMatchObject({ status: 200, body: { subscriberId: ALICE.subscriberId } });
    expect(hall.calls.at(-1)!.party).toEqual(ALICE);
    // The signed acting party reached the service over gRPC: it is what the service trusts, not the request.
    expect(hall.calls.at(-1)!.caller).toBe("web-hall");
  });

  it.each([
    ["signed HS512 with the right secret", () => forged(validClaims(), "HS512")],
    ["without an expiry", () => forged({ ...validClaims(), exp: undefined })],
    ["unsigned (alg none)", () => createSigner({ algorithm: "none" })(validClaims())],
    ["signed with another secret", () => forged(validClaims(), "HS256", "another-secret-0123456789abcdefghij")],
    ["issued by another hall", () => forged({ ...validClaims(), iss: "kiosk" })],
    ["without a session id", () => forged({ ...validClaims(), sid: undefined })],
    [
      "for a kind this hall does not log in",
      () => forged({ ...validClaims(), party: { kind: "operator", operatorId: "op1", roles: [], provinceScope: "*" } }),
    ],
    ["that is not a JWT", () => "not-a-token"],
  ])("refuses a token %s with 401 SESSION_INVALID", async (_label, token) => {
    const hall = await testHall({ routes: exampleRoutes });
    const answer = await hall.call("GET", "/v1/me", { token: token() });
    expect(answer).toMatchObject({ status: 401, body: { error: { reason: "SESSION_INVALID" } } });
    expect(hall.calls).toHaveLength(0);
  });

  it("refuses an expired token with SESSION_EXPIRED and a missing one with SESSION_REQUIRED", async () => {
    const hall = await testHall({ routes: exampleRoutes });
    const expired = forged({ ...validClaims(), iat: now() - 700, exp: now() - 100 });
    expect((await hall.call("GET", "/v1/me", { token: expired })).body.error.reason).toBe("SESSION_EXPIRED");
    expect((await hall.call("GET", "/v1/me")).body.error.reason).toBe("SESSION_REQUIRED");
    expect((await hall.call("GET", "/v1/me", { headers: { authorization: "Basic YTpi" } })).body.error.reason).toBe(
      "SESSION_INVALID",
    );
  });

  it("refreshes a session (same login, later expiry) and logs it out everywhere it is presented", async () => {
    const hall = await testHall({ routes: exampleRoutes, ttlSeconds: 60 });
    const token = await login(hall);
    const current = await hall.call("GET", "/v1/sessions/current", { token });
    expect(current.body).toMatchObject({ kind: "subscriber" });
    await sleep(1100); // token expiries have one-second resolution
    const refreshed = await hall.call("POST", "/v1/sessions/current/refresh", { token });
    expect(refreshed.status).toBe(200);
    expect(Date.parse(refreshed.body.expireTime)).toBeGreaterThan(Date.parse(current.body.expireTime));
    const newToken = refreshed.body.token as string;
    expect((await hall.call("GET", "/v1/sessions/current", { token: newToken })).body.startTime).toBe(
      current.body.startTime,
    );

    expect((await hall.call("DELETE", "/v1/sessions/current", { token: newToken })).status).toBe(204);
    for (const old of [token, newToken]) {
      const answer = await hall.call("GET", "/v1/me", { token: old });
      expect(answer).toMatchObject({ status: 401, body: { error: { reason: "SESSION_REVOKED" } } });
    }
    // Another login of the same person is another session: still fine.
    expect((await hall.call("GET", "/v1/me", { token: await login(hall) })).status).toBe(200);
  });

  it("never refreshes beyond the login's maximum lifetime", async () => {
    const hall = await testHall({ routes: exampleRoutes, ttlSeconds: 600, maxLifetimeSeconds: 2 });
    const token = await login(hall);
    const answer = await hall.call("GET", "/v1/sessions/current", { token });
    expect(Date.parse(answer.body.expireTime) - Date.parse(answer.body.startTime)).toBeLessThanOrEqual(2000);
  });

  it("keeps browser sessions in HttpOnly Secure SameSite cookies and wants the CSRF token on changes", async () => {
    const hall = await testHall({ routes: exampleRoutes });
    const login = await hall.call("POST", "/v1/sessions", { body: { msisdn: ALICE.msisdn, transport: "cookie" } });
    expect(login.status).toBe(201);
    expect(login.body.token).toBeUndefined();
    const csrfToken = login.body.csrfToken as string;
    const setCookies = login.headers.getSetCookie();
    const sessionCookie = setCookies.find((c) => c.startsWith("__Host-omnihall_session="))!;
    expect(sessionCookie).toMatch(/; HttpOnly/);
    expect(sessionCookie).toMatch(/; Secure/);
    expect(sessionCookie).toMatch(/; SameSite=Strict/);
    expect(sessionCookie).toMatch(/; Path=\//);
    const csrfCookie = setCookies.find((c) => c.startsWith("__Host-omnihall_csrf="))!;
    expect(csrfCookie).not.toMatch(/HttpOnly/);
    const cookie = setCookies.map((c) => c.split(";")[0]).join("; ");

    // Reads need no CSRF token.
    expect((await hall.call("GET", "/v1/me", { headers: { cookie } })).status).toBe(200);
    // A change without the token (what a forged cross-site form sends) is refused.
    const forgedPost = await hall.call("POST", "/v1/me/orders", {
      headers: { cookie, "idempotency-key": "order-0001-abc" },
    });
    expect(forgedPost).toMatchObject({ status: 403, body: { error: { reason: "CSRF_TOKEN_INVALID" } } });
    const wrongToken = await hall.call("POST", "/v1/me/orders", {
      headers: { cookie, "idempotency-key": "order-0001-abc", "x-csrf-token": "x".repeat(43) },
    });
    expect(wrongToken.status).toBe(403);
    const withToken = await hall.call("POST", "/v1/me/orders", {
      headers: { cookie, "idempotency-key": "order-0001-abc", "x-csrf-token": csrfToken },
    });
    expect(withToken).toMatchObject({ status: 200 });

    // Another session's CSRF token does not fit this session.
    const other = await hall.call("POST", "/v1/sessions", { body: { msisdn: BOB.msisdn, transport: "cookie" } });
    const mixed = await hall.call("POST", "/v1/me/orders", {
      headers: { cookie, "idempotency-key": "order-0001-abc", "x-csrf-token": other.body.csrfToken },
    });
    expect(mixed.status).toBe(403);

    const logout = await hall.call("DELETE", "/v1/sessions/current", {
      headers: { cookie, "x-csrf-token": csrfToken },
    });
    expect(logout.status).toBe(204);
    expect(logout.headers.getSetCookie().some((c) => /omnihall_session=;/.test(c))).toBe(true);
    expect((await hall.call("GET", "/v1/me", { headers: { cookie } })).body.error.reason).toBe("SESSION_REVOKED");
  });
});

describe("idempotency keys", () => {
  it("scopes Idempotency-Key to the hall and the acting party, and refuses malformed keys", async () => {
    const hall = await testHall({ routes: exampleRoutes });
    const [alice, bob] = [await login(hall, ALICE.msisdn), await login(hall, BOB.msisdn)];
    const order = (token: string, key: string) =>
      hall.call("POST", "/v1/me/orders", { token, headers: { "idempotency-key": key } });
    expect((await order(alice, "order-0001-abc")).body.requestId).toBe(
      `web-hall:subscriber.${ALICE.subscriberId}:order-0001-abc`,
    );
    expect((await order(bob, "order-0001-abc")).body.requestId).toBe(
      `web-hall:subscriber.${BOB.subscriberId}:order-0001-abc`,
    );
    for (const bad of ["short", "has space 123", "ü".repeat(10), "x".repeat(65)]) {
      const answer = await order(alice, bad);
      expect(answer).toMatchObject({ status: 400, body: { error: { reason: "IDEMPOTENCY_KEY_REQUIRED" } } });
    }
  });
});

describe("rate limits, security headers, OpenAPI", () => {
  it("limits each logged-in party on its own, and anonymous callers per address, in the envelope", async () => {
    const hall = await testHall({ routes: exampleRoutes, app: { rateLimit: { max: 3 } } });
    // Logging in counts against the address: three logins use it up.
    const alice = await login(hall, ALICE.msisdn);
    const bob = await login(hall, BOB.msisdn);
    for (let i = 0; i < 3; i += 1) expect((await hall.call("GET", "/v1/me", { token: alice })).status).toBe(200);
    const limited = await hall.call("GET", "/v1/me", { token: alice, headers: { "accept-language": "en" } });
    expect(limited).toMatchObject({ status: 429, body: { error: { reason: "RATE_LIMITED" } } });
    expect(limited.body.error.message).toMatch(/Too many requests/);
    expect(limited.headers.get("retry-after")).toBeTruthy();
    expect((await hall.call("GET", "/v1/me", { token: bob })).status).toBe(200);
    await login(hall);
    expect((await hall.call("GET", "/v1/public")).status).toBe(429);
    expect((await hall.call("GET", "/healthz")).status).toBe(200);
  });

  it("sends security headers on every answer, errors included", async () => {
    const hall = await testHall({ routes: exampleRoutes });
    for (const answer of [await hall.call("GET", "/v1/public"), await hall.call("GET", "/v1/nothing")]) {
      expect(answer.headers.get("x-content-type-options")).toBe("nosniff");
      expect(answer.headers.get("strict-transport-security")).toMatch(/max-age=/);
      expect(answer.headers.get("content-security-policy")).toMatch(/default-src 'self'/);
      expect(answer.headers.get("x-frame-options")).toBe("SAMEORIGIN");
    }
  });

  it("describes the error envelope as every documented route's 4XX and 5XX answer", async () => {
    const hall = await testHall({ routes: exampleRoutes });
    const doc = (await hall.call("GET", "/openapi.json")).body;
    expect(doc.openapi).toMatch(/^3\./);
    const responses = doc.paths["/v1/things"].post.responses;
    expect(Object.keys(responses)).toEqual(expect.arrayContaining(["4XX", "5XX"]));
    const schema = responses["4XX"].content["application/json"].schema;
    expect(schema.properties.error.required).toEqual(["reason", "message", "messages"]);
    expect(doc.paths["/v1/things"].post.requestBody.content["application/json"].schema.additionalProperties).toBe(
      false,
    );
    expect(doc.components.securitySchemes).toHaveProperty("bearerAuth");
  });
});

describe("abort forwarding", () => {
  it("cancels the service call when the HTTP client goes away", async () => {
    let seen: AbortSignal | undefined;
    const hall = await testHall({
      routes: exampleRoutes,
      overrides: {
        getSubscriber: async (_request, ctx) => {
          seen = ctx.signal;
          await new Promise((resolve) => ctx.signal.addEventListener("abort", resolve, { once: true }));
          return { subscriber: undefined };
        },
      },
    });
    const client = new AbortController();
    const pending = hall.call("GET", "/v1/public", { signal: client.signal }).catch((error: Error) => error);
    await vi.waitFor(() => expect(seen).toBeDefined());
    expect(seen!.aborted).toBe(false);
    client.abort();
    await vi.waitFor(() => expect(seen!.aborted).toBe(true));
    expect(await pending).toBeInstanceOf(Error);
  });
});

describe("server-sent events", () => {
  it("streams events with ids, resumes after Last-Event-ID and stops producing when the browser leaves", async () => {
    let stopped = false;
    const hall = await testHall({
      routes: (app) => {
        app.get("/v1/events", async (request, reply) =>
          sendEvents(request, reply, async function* ({ signal, lastEventId }) {
            let n = lastEventId ? Number(lastEventId) : 0;
            try {
              while (!signal.aborted) {
                n += 1;
                yield { id: String(n), event: "progress", data: { step: n, note: "line one\nline two" } };
                await sleep(5);
              }
            } finally {
              stopped = true;
            }
          }),
        );
      },
    });
    const client = new AbortController();
    const response = await fetch(`${hall.url}/v1/events`, {
      headers: { "last-event-id": "41" },
      signal: client.signal,
    });
    expect(response.headers.get("content-type")).toBe("text/event-stream; charset=utf-8");
    expect(response.headers.get("x-content-type-options")).toBe("nosniff");
    const reader = response.body!.getReader();
    let text = "";
    while (text.split("\n\n").length < 4) text += new TextDecoder().decode((await reader.read()).value);
    expect(text).toMatch(/^retry: 3000\n\n/);
    expect(text).toContain('id: 42\nevent: progress\ndata: {"step":42,"note":"line one\\nline two"}\n\n');
    client.abort();
    await vi.waitFor(() => expect(stopped).toBe(true));
  });

  it("ends the stream with an error event in the envelope when the source fails", async () => {
    const hall = await testHall({
      routes: (app) => {
        app.get("/v1/events", async (request, reply) =>
          sendEvents(request, reply, async function* () {
            yield { data: "first" };
            throw new Error("secret detail");
          }),
        );
      },
    });
    const text = await (await fetch(`${hall.url}/v1/events`)).text();
    expect(text).toContain("data: first\n\n");
    expect(text).toMatch(/event: error\ndata: \{"error":\{"reason":"INTERNAL"/);
    expect(text).not.toContain("secret");
  });
});

describe("serving a built front-end", () => {
  it("serves files, index.html for client-side routes, and JSON 404s for the API and missing files", async () => {
    const root = await mkdtemp(path.join(tmpdir(), "hall-front-end-"));
    await mkdir(path.join(root, "assets"));
    await writeFile(path.join(root, "index.html"), "<!doctype html><title>hall</title>");
    await writeFile(path.join(root, "assets", "app-3f2a.js"), "console.log(1)");
    await writeFile(path.join(root, "favicon.svg"), "<svg/>");
    const hall = await testHall({ routes: exampleRoutes, app: { frontEnd: { root } } });
    const page = { accept: "text/html,application/xhtml+xml" };

    for (const url of ["/", "/bills/2024-05", "/orders?tab=open"]) {
      const answer = await hall.call("GET", url, { headers: page });
      expect({ url, status: answer.status, body: answer.body }).toEqual({
        url,
        status: 200,
        body: "<!doctype html><title>hall</title>",
      });
      expect(answer.headers.get("cache-control")).toBe("no-cache");
    }
    const asset = await hall.call("GET", "/assets/app-3f2a.js");
    expect(asset.status).toBe(200);
    expect(asset.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
    expect((await hall.call("GET", "/favicon.svg")).status).toBe(200);
    expect((await hall.call("GET", "/assets/gone-1234.js", { headers: page })).body.error.reason).toBe(
      "ROUTE_NOT_FOUND",
    );
    expect((await hall.call("GET", "/v1/nothing", { headers: page })).body.error.reason).toBe("ROUTE_NOT_FOUND");
    expect((await hall.call("GET", "/../../etc/passwd", { headers: page })).body).not.toMatch(/root:/);
    expect((await hall.call("GET", "/v1/public")).status).toBe(200);
  });
});
