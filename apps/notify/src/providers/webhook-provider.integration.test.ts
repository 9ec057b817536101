import { randomUUID } from "node:crypto";
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from "fastify";
import { pino } from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { SmsProviderError, type DeliveryReport } from "./provider.js";
import {
  DeliveryReportRejectedError,
  SIGNATURE_HEADER,
  signWebhookBody,
  verifyWebhookSignature,
  WebhookSmsProvider,
} from "./webhook-provider.js";

const SECRET = "webhook-test-secret";
const logger = pino({ level: process.env.LOG_LEVEL ?? "silent" });

const cleanups: Array<() => Promise<unknown>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A fastify app on 127.0.0.1:0 that keeps raw JSON bodies as strings, as signature checks need. */
async function startServer(setup: (app: FastifyInstance) => void): Promise<string> {
  const app = Fastify();
  app.addContentTypeParser("application/json", { parseAs: "string" }, (_request, body, done) => done(null, body));
  setup(app);
  cleanups.push(() => app.close());
  return app.listen({ host: "127.0.0.1", port: 0 });
}

interface GatewayCall {
  body: Record<string, unknown>;
  idempotencyKey: string | undefined;
  signatureValid: boolean;
}

/** A fake SMS gateway: records each POST and answers with `answer`. */
async function startGateway(answer: (request: FastifyRequest, reply: FastifyReply) => unknown) {
  const calls: GatewayCall[] = [];
  const base = await startServer((app) =>
    app.post("/sms", async (request, reply) => {
      const rawBody = request.body as string;
      calls.push({
        body: JSON.parse(rawBody) as Record<string, unknown>,
        idempotencyKey: request.headers["idempotency-key"] as string | undefined,
        signatureValid: verifyWebhookSignature(SECRET, rawBody, request.headers[SIGNATURE_HEADER] as string),
      });
      return answer(request, reply);
    }),
  );
  return { url: `${base}/sms`, calls };
}

function createProvider(url: string, timeoutMs = 2000): WebhookSmsProvider {
  const provider = new WebhookSmsProvider({ url, secret: SECRET, timeoutMs, logger });
  cleanups.push(() => provider.close());
  return provider;
}

function sms(text = "您的验证码是 123456") {
  return { messageId: `msg_${randomUUID()}`, from: "10086", to: "13800138000", text };
}

async function rejection(promise: Promise<unknown>): Promise<SmsProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SmsProviderError);
  return error as SmsProviderError;
}

describe("WebhookSmsProvider.send", () => {
  it("posts signed JSON with our messageId as the Idempotency-Key", async () => {
    const gateway = await startGateway(() => ({ providerMessageIds: ["gw-1", "gw-2"] }));
    const provider = createProvider(gateway.url);
    const message = sms("汉".repeat(71));

    const result = await provider.send(message);

    expect(result).toEqual({ providerMessageIds: ["gw-1", "gw-2"], parts: 2 });
    expect(gateway.calls).toEqual([{ body: message, idempotencyKey: message.messageId, signatureValid: true }]);
  });

  it("takes the gateway's part count when it gives one", async () => {
    const gateway = await startGateway(() => ({ providerMessageIds: ["gw-9"], parts: 3 }));
    expect(await createProvider(gateway.url).send(sms())).toEqual({ providerMessageIds: ["gw-9"], parts: 3 });
  });

  it("treats 5xx as retryable and passes on Retry-After", async () => {
    const gateway = await startGateway((_request, reply) => reply.code(503).header("retry-after", "7").send("busy"));
    const error = await rejection(createProvider(gateway.url).send(sms()));
    expect(error).toMatchObject({
      reason: "PROVIDER_TEMPORARY",
      retryable: true,
      providerCode: 503,
      retryAfterMs: 7000,
    });
  });

  it("treats 429 as throttling", async () => {
    const gateway = await startGateway((_request, reply) => reply.code(429).send({ error: "slow down" }));
    const error = await rejection(createProvider(gateway.url).send(sms()));
    expect(error).toMatchObject({ reason: "THROTTLED", retryable: true, providerCode: 429 });
  });

  it("treats other 4xx as permanent", async () => {
    const gateway = await startGateway((_request, reply) => reply.code(400).send({ error: "bad number" }));
    const error = await rejection(createProvider(gateway.url).send(sms()));
    expect(error).toMatchObject({ reason: "REJECTED", retryable: false, providerCode: 400 });
    expect(error.detail).toContain("bad number");
  });

  it("treats a gateway that does not answer in time as a retryable timeout", async () => {
    const gateway = await startGateway(async () => {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      return { providerMessageIds: ["late"] };
    });
    const error = await rejection(createProvider(gateway.url, 200).send(sms()));
    expect(error).toMatchObject({ reason: "TIMEOUT", retryable: true });
  });

  it("treats an unreachable gateway as a retryable lost connection", async () => {
    const gateway = await startGateway(() => ({}));
    await cleanups.pop()!(); // stop the gateway's server
    const error = await rejection(createProvider(gateway.url).send(sms()));
    expect(error).toMatchObject({ reason: "CONNECTION_LOST", retryable: true });
  });

  it("treats an unreadable 2xx as retryable (the Idempotency-Key makes the retry safe)", async () => {
    const gateway = await startGateway(() => ({ ok: true }));
    const error = await rejection(createProvider(gateway.url).send(sms()));
    expect(error).toMatchObject({ reason: "PROVIDER_TEMPORARY", retryable: true });
  });

  it("aborts a request in progress on close", async () => {
    let reachedGateway!: () => void;
    const inFlight = new Promise<void>((resolve) => (reachedGateway = resolve));
    const gateway = await startGateway(async () => {
      reachedGateway();
      await new Promise((resolve) => setTimeout(resolve, 1000));
      return { providerMessageIds: ["late"] };
    });
    const provider = createProvider(gateway.url);
    const sending = provider.send(sms());
    await inFlight; // the gateway holds the request: close now aborts it mid-flight
    await provider.close();
    expect(await rejection(sending)).toMatchObject({ reason: "PROVIDER_CLOSED", retryable: true });
    expect(await rejection(provider.send(sms()))).toMatchObject({ reason: "PROVIDER_CLOSED" });
  });
});

describe("WebhookSmsProvider delivery reports", () => {
  /** The notify service's side: a route that hands the raw body to the provider. */
  async function startReportRoute(provider: WebhookSmsProvider): Promise<string> {
    const base = await startServer((app) =>
      app.post("/delivery-reports", async (request, reply) => {
        try {
          await provider.acceptDeliveryReport(request.body as string, request.headers[SIGNATURE_HEADER] as string);
          return reply.code(204).send();
        } catch (error) {
          if (error instanceof DeliveryReportRejectedError) return reply.code(error.httpStatus).send(error.reason);
          return reply.code(503).send();
        }
      }),
    );
    return `${base}/delivery-reports`;
  }

  /** The gateway's side: POSTs a signed report. */
  function postReport(url: string, report: unknown, signature?: string): Promise<Response> {
    const body = JSON.stringify(report);
    return fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", [SIGNATURE_HEADER]: signature ?? signWebhookBody(SECRET, body) },
      body,
    });
  }

  it("verifies, parses and hands a signed report to the listeners", async () => {
    const provider = createProvider("http://127.0.0.1:9/unused");
    const reports: DeliveryReport[] = [];
    provider.onDeliveryReport((report) => {
      reports.push(report);
    });
    const url = await startReportRoute(provider);

    const response = await postReport(url, {
      providerMessageId: "gw-1",
      messageId: "msg_1",
      status: "UNDELIVERABLE",
      errorCode: "E042",
    });

    expect(response.status).toBe(204);
    expect(reports).toEqual([
      { providerMessageId: "gw-1", messageId: "msg_1", status: "UNDELIVERABLE", errorCode: "E042" },
    ]);
  });

  it("refuses a wrong, missing or stale signature and a malformed body", async () => {
    const provider = createProvider("http://127.0.0.1:9/unused");
    const reports: DeliveryReport[] = [];
    provider.onDeliveryReport((report) => {
      reports.push(report);
    });
    const url = await startReportRoute(provider);
    const report = { providerMessageId: "gw-1", status: "DELIVERED" };
    const body = JSON.stringify(report);
    const tenMinutesAgo = Math.floor(Date.now() / 1000) - 600;

    expect((await postReport(url, report, signWebhookBody("other-secret", body))).status).toBe(401);
    expect((await postReport(url, report, "t=1,v1=00")).status).toBe(401);
    expect((await postReport(url, report, signWebhookBody(SECRET, body, tenMinutesAgo))).status).toBe(401);
    expect((await postReport(url, { providerMessageId: "gw-1", status: "LOST" })).status).toBe(400);
    expect((await postReport(url, { status: "DELIVERED" })).status).toBe(400);
    expect(reports).toEqual([]);
  });

  it("fails the request when a listener fails, so the gateway sends the report again", async () => {
    const provider = createProvider("http://127.0.0.1:9/unused");
    provider.onDeliveryReport(() => {
      throw new Error("database unavailable");
    });
    const url = await startReportRoute(provider);
    expect((await postReport(url, { providerMessageId: "gw-1", status: "DELIVERED" })).status).toBe(503);
  });
});
