import "@omnihall/testkit";
import { JetStreamBus } from "@omnihall/bus";
import { createBillingDb, loadBillingConfig, seedBilling, startBillingService } from "@omnihall/billing";
import { loadCustomerConfig, seedCustomer, startCustomerService } from "@omnihall/customer";
import { migratedTestDatabase } from "@omnihall/db/testing";
import { startGatewaySimulator } from "@omnihall/payment-gateway-sim";
import { createLogger } from "@omnihall/service-kit";
import { captureLogs } from "@omnihall/service-kit/testing";
import type { FastifyInstance } from "fastify";
import { inject, onTestFinished } from "vitest";
import { buildWebHall } from "../app.js";
import { closeWebHallClients, createWebHallClients } from "../clients.js";
import { loadWebHallConfig } from "../config.js";

/**
 * The first slice for one test, all real: customer and billing services over gRPC on their own migrated and
 * seeded databases, the test NATS, and the web hall's HTTP server on a free port.
 */
export async function webHallUnderTest(env: Record<string, string> = {}) {
  const [customerDb, billingDb] = await Promise.all([
    migratedTestDatabase(new URL("../../../customer/", import.meta.url)),
    migratedTestDatabase(new URL("../../../billing/", import.meta.url)),
  ]);
  await seedCustomer(customerDb.url);
  const seedDb = createBillingDb(billingDb.url, 2);
  await seedBilling(seedDb, { subscribers: 20 });
  await seedDb.$disconnect();

  const silent = createLogger("test", { level: "silent" });
  const customerLogs = captureLogs("customer");
  const billingLogs = captureLogs("billing");
  const bus = await JetStreamBus.connect({ url: inject("natsUrl"), logger: silent });
  const customer = await startCustomerService({
    config: loadCustomerConfig({ DATABASE_URL: customerDb.url, PORT: "0", NODE_ENV: "development" }),
    bus,
    logger: customerLogs.logger,
  });
  // Top-ups are paid on a gateway's page: the payment gateway simulator's real HTTP server.
  const gateways = await startGatewaySimulator({ port: 0 });
  const billing = await startBillingService({
    config: loadBillingConfig({ DATABASE_URL: billingDb.url, PORT: "0", PAYMENT_GATEWAY_URL: gateways.url }),
    bus,
    logger: billingLogs.logger,
  });
  const config = loadWebHallConfig({
    CUSTOMER_ADDRESS: customer.address,
    BILLING_ADDRESS: billing.address,
    SESSION_TTL_MINUTES: "1",
    ...env,
  });
  const clients = createWebHallClients(config);
  const app: FastifyInstance = await buildWebHall({ config, clients, logger: silent });
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  onTestFinished(async () => {
    await app.close();
    closeWebHallClients(clients);
    await customer.stop();
    await billing.stop();
    await gateways.stop();
    await bus.close();
  });

  /** The last login code the customer service wrote to its log for this number (development mode). */
  function lastCodeFor(msisdn: string): string | undefined {
    const entry = customerLogs.entries.findLast((e) => e.msisdn === msisdn && typeof e.code === "string");
    return entry?.code as string | undefined;
  }

  async function call(
    method: string,
    path: string,
    options: { body?: unknown; token?: string; cookie?: string; headers?: Record<string, string> } = {},
  ) {
    const response = await fetch(url + path, {
      method,
      headers: {
        ...(options.body !== undefined ? { "content-type": "application/json" } : {}),
        ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
        ...(options.cookie ? { cookie: options.cookie } : {}),
        ...options.headers,
      },
      body:
        options.body === undefined
          ? undefined
          : typeof options.body === "string"
            ? options.body
            : JSON.stringify(options.body),
    });
    const text = await response.text();
    return {
      status: response.status,
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read answers of every shape
      body: (text ? JSON.parse(text) : undefined) as Record<string, any>,
      headers: response.headers,
    };
  }

  /** Logs in with an SMS code, as a subscriber does, and returns the session token. */
  async function login(msisdn: string): Promise<string> {
    return (await loginAnswer(msisdn, "bearer")).body.token as string;
  }

  /** Logs in as a browser does: the session cookies (as a Cookie header) and the CSRF token. */
  async function browserLogin(msisdn: string): Promise<{ cookie: string; csrfToken: string }> {
    const { body, headers } = await loginAnswer(msisdn, "cookie");
    const cookie = headers
      .getSetCookie()
      .map((c) => c.split(";")[0])
      .join("; ");
    return { cookie, csrfToken: body.csrfToken as string };
  }

  async function loginAnswer(msisdn: string, transport: "bearer" | "cookie") {
    const sent = await call("POST", "/v1/login/codes", { body: { msisdn } });
    if (sent.status !== 202) throw new Error(`login code not sent: ${JSON.stringify(sent.body)}`);
    const session = await call("POST", "/v1/sessions", { body: { msisdn, code: lastCodeFor(msisdn), transport } });
    if (session.status !== 201) throw new Error(`login failed: ${JSON.stringify(session.body)}`);
    return session;
  }

  /** What billing logged about the calls made for one HTTP request (by its x-request-id). */
  function billingCallsOf(requestId: string) {
    return billingLogs.entries.filter((e) => e.requestId === requestId && e.msg === "rpc finished");
  }

  return { url, app, call, login, browserLogin, lastCodeFor, billingCallsOf, billingDbUrl: billingDb.url, gateways };
}
