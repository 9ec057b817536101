import { createServiceClient } from "@omnihall/channel-client";
import { developmentCallerKey } from "@omnihall/config";
import { CustomerServiceClient, type CustomerServiceService } from "@omnihall/proto/omnihall/customer/v1/customer";
import {
  createLogger,
  startService,
  type CallContext,
  type ServiceHandlers,
  type SubscriberParty,
} from "@omnihall/service-kit";
import { customerServiceDouble, TEST_CALLERS, TEST_DOMAIN } from "@omnihall/service-kit/testing";
import type { FastifyInstance } from "fastify";
import { onTestFinished } from "vitest";
import { buildHallApp, type HallAppOptions } from "../hall-app.js";
import { MemorySessionRevocations } from "../sessions/revocations.js";
import { SessionTokens } from "../sessions/session-tokens.js";

export const TEST_SECRET = "0Yc2k9R7mQ4xVb8LpT1nZ6sW3eH5jU0aF";
export const ALICE: SubscriberParty = { kind: "subscriber", subscriberId: "sub_13800000001", msisdn: "13800000001" };
export const BOB: SubscriberParty = { kind: "subscriber", subscriberId: "sub_13800000002", msisdn: "13800000002" };

/**
 * A hall built on the kit for one test, calling a real gRPC service (the service kit's CustomerService double)
 * through the real channel client; `calls` records the context of every call the service received. The caller
 * registers its own routes with `routes`.
 */
export async function testHall(
  options: {
    routes?: (app: FastifyInstance, hall: TestHallContext) => Promise<void> | void;
    overrides?: Partial<ServiceHandlers<typeof CustomerServiceService>>;
    app?: Partial<HallAppOptions>;
    ttlSeconds?: number;
    maxLifetimeSeconds?: number;
  } = {},
) {
  const calls: CallContext[] = [];
  const double = customerServiceDouble(options.overrides);
  const recorded = Object.fromEntries(
    Object.entries(double.handlers).map(([name, handler]) => [
      name,
      (request: unknown, ctx: CallContext) => {
        calls.push(ctx);
        return (handler as (request: unknown, ctx: CallContext) => unknown)(request, ctx);
      },
    ]),
  ) as unknown as typeof double.handlers;
  const silent = createLogger("test", { level: "silent" });
  const service = await startService({
    name: "customer",
    domain: TEST_DOMAIN,
    port: 0,
    callers: TEST_CALLERS,
    logger: silent,
    services: [{ ...double, handlers: recorded }],
  });
  const customer = createServiceClient(CustomerServiceClient, {
    address: service.address,
    caller: "web-hall",
    credential: developmentCallerKey("web-hall"),
  });
  const maxLifetimeSeconds = options.maxLifetimeSeconds ?? 3600;
  const tokens = new SessionTokens({
    secret: TEST_SECRET,
    issuer: "web-hall",
    kinds: ["subscriber"],
    ttlSeconds: options.ttlSeconds ?? 600,
    maxLifetimeSeconds,
    revocations: new MemorySessionRevocations({ maxLifetimeSeconds }),
  });
  const app = await buildHallApp({
    name: "web-hall",
    logger: silent,
    sessions: { tokens, cookies: { secure: true } },
    openapi: { title: "test hall", version: "1.0.0" },
    rateLimit: false,
    ...options.app,
  });
  const context = { customer, calls };
  await options.routes?.(app, context);
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  onTestFinished(async () => {
    await app.close();
    customer.close();
    await service.stop();
  });

  async function call(
    method: string,
    path: string,
    init: { body?: unknown; token?: string; headers?: Record<string, string>; signal?: AbortSignal } = {},
  ) {
    const response = await fetch(url + path, {
      method,
      signal: init.signal,
      headers: {
        ...(init.body !== undefined ? { "content-type": "application/json" } : {}),
        ...(init.token ? { authorization: `Bearer ${init.token}` } : {}),
        ...init.headers,
      },
      body: init.body === undefined ? undefined : typeof init.body === "string" ? init.body : JSON.stringify(init.body),
    });
    const text = await response.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : undefined;
    } catch {
      // not JSON: keep the text
    }
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- tests read answers of every shape
    return { status: response.status, body: body as Record<string, any>, headers: response.headers };
  }

  return { app, url, call, calls, tokens, customer };
}

export type TestHallContext = { customer: ReturnType<typeof createServiceClient<typeof CustomerServiceService>> } & {
  calls: CallContext[];
};
