import "@omnihall/testkit";
import { consume, JetStreamBus } from "@omnihall/bus";
import { createBillingDb, loadBillingConfig, seedBilling, startBillingService } from "@omnihall/billing";
import { LoginCodeIssued, loadCustomerConfig, seedCustomer, startCustomerService } from "@omnihall/customer";
import { migratedTestDatabase } from "@omnihall/db/testing";
import { demoSubscribers } from "@omnihall/demo-data";
import { createLogger } from "@omnihall/service-kit";
import { captureLogs } from "@omnihall/service-kit/testing";
import { SpanKind } from "@omnihall/telemetry";
import { collectSpans } from "@omnihall/telemetry/testing";
import { describe, expect, inject, it, onTestFinished, vi } from "vitest";
import { loadWebHallConfig, startWebHall } from "./index.js";

const [alice] = demoSubscribers(1);

/**
 * The web hall as deployed (startWebHall: its HTTP port and its metrics port), on real customer and billing
 * services with their own databases, the test NATS, and a consumer of customer's login-code events.
 */
async function platform() {
  const [customerDb, billingDb] = await Promise.all([
    migratedTestDatabase(new URL("../../customer/", import.meta.url)),
    migratedTestDatabase(new URL("../../billing/", import.meta.url)),
  ]);
  await seedCustomer(customerDb.url);
  const billingData = createBillingDb(billingDb.url, 2);
  onTestFinished(() => billingData.$disconnect());
  await seedBilling(billingData, { subscribers: 5 });

  const silent = createLogger("test", { level: "silent" });
  const customerLogs = captureLogs("customer");
  const bus = await JetStreamBus.connect({ url: inject("natsUrl"), logger: silent });
  onTestFinished(() => bus.close());
  const customer = await startCustomerService({
    config: loadCustomerConfig({ DATABASE_URL: customerDb.url, PORT: "0", NODE_ENV: "development" }),
    bus,
    logger: customerLogs.logger,
  });
  onTestFinished(() => customer.stop());
  const billing = await startBillingService({
    config: loadBillingConfig({ DATABASE_URL: billingDb.url, PORT: "0" }),
    bus,
    logger: silent,
  });
  onTestFinished(() => billing.stop());
  const hall = await startWebHall({
    config: loadWebHallConfig({ CUSTOMER_ADDRESS: customer.address, BILLING_ADDRESS: billing.address, PORT: "0" }),
    logger: silent,
  });
  onTestFinished(() => hall.stop());

  // A consumer of customer's events, as notify's login-code sender is: applied once, in a transaction (billing's
  // database only lends it a processed_message table).
  const received: Array<{ msisdn: string; requestId: string | undefined }> = [];
  const consumer = await consume(bus, {
    durable: `login-codes-${Date.now().toString(36)}--texts`,
    events: [LoginCodeIssued],
    db: billingData,
    deliverFrom: "new",
    logger: silent,
    handler: async ({ message }, { requestId }) => {
      received.push({ msisdn: message.msisdn, requestId });
    },
  });
  onTestFinished(() => consumer.stop());

  async function call(path: string, init: { body?: unknown; token?: string; headers?: Record<string, string> }) {
    const response = await fetch(hall.url + path, {
      method: init.body === undefined ? "GET" : "POST",
      headers: {
        ...(init.body === undefined ? {} : { "content-type": "application/json" }),
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : JSON.stringify(init.body),
    });
    return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, any> }; // eslint-disable-line @typescript-eslint/no-explicit-any -- answers of every shape
  }

  async function login(msisdn: string): Promise<string> {
    await call("/v1/login/codes", { body: { msisdn } });
    const code = customerLogs.entries.findLast((entry) => entry.msisdn === msisdn && typeof entry.code === "string");
    const session = await call("/v1/sessions", { body: { msisdn, code: code?.code } });
    expect(session.status).toBe(201);
    return session.body.token as string;
  }

  return { hall, billing, call, login, received };
}

async function scrape(url: string): Promise<string> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  return response.text();
}

/** The value of one series in a scrape, 0 when it is not there. */
function valueOf(text: string, series: string): number {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe("web hall telemetry, end to end", () => {
  it("serves RED series for the calls just made on the hall's and the service's metrics ports", async () => {
    const { hall, billing, call, login } = await platform();
    const token = await login(alice!.msisdn);
    const route = 'method="GET",route="/v1/me/balance"';
    const rpc = 'grpc_service="omnihall.billing.v1.BillingService",grpc_method="GetBalance"';
    const hallBefore = await scrape(hall.metricsUrl);
    const billingBefore = await scrape(billing.metricsUrl);

    for (let i = 0; i < 3; i += 1) expect((await call("/v1/me/balance", { token })).status).toBe(200);
    expect((await call("/v1/me/balance", { token: "not-a-session" })).status).toBe(401);

    const hallAfter = await scrape(hall.metricsUrl);
    const hallGrown = (series: string) => valueOf(hallAfter, series) - valueOf(hallBefore, series);
    expect(hallGrown(`http_server_requests_total{${route},status_code="200"}`)).toBe(3);
    expect(hallGrown(`http_server_requests_total{${route},status_code="401"}`)).toBe(1);
    expect(hallGrown(`http_server_request_duration_seconds_count{${route}}`)).toBe(4);
    expect(hallAfter).toMatch(
      new RegExp(`omnihall_http_server_errors_total\\{${route},status_code="401",reason="[A-Z_]+"\\} 1`),
    );

    const billingAfter = await scrape(billing.metricsUrl);
    const billingGrown = (series: string) => valueOf(billingAfter, series) - valueOf(billingBefore, series);
    expect(billingGrown(`grpc_server_handled_total{${rpc},grpc_code="OK"}`)).toBe(3);
    expect(billingGrown(`grpc_server_handling_seconds_count{${rpc}}`)).toBe(3);
    expect(billingAfter).toContain("omnihall_db_pool_connections{database=");
    expect(billingAfter).toContain("process_resident_memory_bytes");
  });

  it("follows one login-code request as one trace: HTTP → gRPC → PostgreSQL → outbox → NATS → the consumer", async () => {
    const collected = collectSpans("web-hall");
    onTestFinished(() => collected.stop());
    const { call, received } = await platform();

    const asked = await call("/v1/login/codes", { body: { msisdn: alice!.msisdn } });
    expect(asked.status).toBeLessThan(300);
    await vi.waitFor(() => expect(received).toHaveLength(1), { timeout: 10_000 });
    // The consumer's span ends once its transaction has committed, a moment after the handler ran.
    const processName = `process ${LoginCodeIssued.subject}`;
    await vi.waitFor(() => expect(collected.spans().some((span) => span.name === processName)).toBe(true), {
      timeout: 10_000,
    });

    const spans = collected.spans();
    const request = spans.find((span) => span.name === "POST /v1/login/codes")!;
    const traceId = request.spanContext().traceId;
    const trace = spans.filter((span) => span.spanContext().traceId === traceId);
    const byName = (name: string | RegExp) =>
      trace.find((span) => (typeof name === "string" ? span.name === name : name.test(span.name)));
    const rpc = "omnihall.customer.v1.CustomerService/StartLogin";
    const clientCall = trace.find((span) => span.name === rpc && span.kind === SpanKind.CLIENT)!;
    const serverCall = trace.find((span) => span.name === rpc && span.kind === SpanKind.SERVER)!;
    const insert = byName(/^INSERT /)!;
    const publish = byName(`publish ${LoginCodeIssued.subject}`)!;
    const processing = byName(processName)!;

    expect(request.kind).toBe(SpanKind.SERVER);
    expect(clientCall.parentSpanContext?.spanId).toBe(request.spanContext().spanId);
    expect(serverCall.parentSpanContext?.spanId).toBe(clientCall.spanContext().spanId);
    expect(insert.attributes["db.system.name"]).toBe("postgresql");
    expect(publish.kind).toBe(SpanKind.PRODUCER);
    expect(processing.kind).toBe(SpanKind.CONSUMER);
    expect(processing.parentSpanContext?.spanId).toBe(publish.spanContext().spanId);
    // The consumer's own queries (its processed_message claim) are in the trace too.
    expect(trace.some((span) => span.parentSpanContext?.spanId === processing.spanContext().spanId)).toBe(true);
    expect(received[0]!.msisdn).toBe(alice!.msisdn);
  });
});
