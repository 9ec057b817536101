import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { connect, createServer, type AddressInfo, type Socket } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { status as GrpcStatus } from "@grpc/grpc-js";
import {
  CustomerServiceClient,
  GetSubscriberRequest,
  ListSubscribersRequest,
  StartLoginRequest,
  SubscriberStatus,
} from "@omnihall/proto/omnihall/customer/v1/customer";
import { startService, unavailable, type CallContext } from "@omnihall/service-kit";
import {
  CANNED_SUBSCRIBERS,
  captureLogs,
  customerServiceDouble,
  SubscriberStreamServiceClient,
  subscriberStreamDouble,
  TEST_CALLERS,
  TEST_DOMAIN,
} from "@omnihall/service-kit/testing";
import { describe, expect, it, onTestFinished } from "vitest";
import { callFailure as failure } from "./testing.js";
import type { TransportSecurity } from "@omnihall/config";
import { createServiceClient, type ServiceClientOptions } from "./index.js";

type Services = Parameters<typeof startService>[0]["services"];

async function serve(services: Services, port = 0) {
  const { logger } = captureLogs("service");
  const service = await startService({
    name: "test",
    domain: TEST_DOMAIN,
    port,
    services,
    callers: TEST_CALLERS,
    logger,
  });
  onTestFinished(service.stop);
  return service;
}

function customerClient(address: string, options: Partial<ServiceClientOptions> = {}) {
  const { logger, entries } = captureLogs("client");
  const client = createServiceClient(CustomerServiceClient, {
    address,
    caller: "web-hall",
    credential: TEST_CALLERS.get("web-hall")!,
    logger,
    ...options,
  });
  onTestFinished(() => client.close());
  return { client, logs: entries };
}

const unavailableNow = () =>
  unavailable("DEPENDENCY_UNAVAILABLE", { "zh-CN": "依赖服务不可用。", en: "A dependency is unavailable." });

describe("calls and errors", () => {
  it("resolves typed responses and decodes rich errors into ServiceCallError", async () => {
    const service = await serve([customerServiceDouble()]);
    const { client } = customerClient(service.address);

    const found = await client.getSubscriber({ msisdn: "13800000003" });
    expect(found.subscriber?.city).toBe("Beijing");
    expect(found.subscriber?.createTime).toEqual(new Date("2024-01-01T00:00:00Z"));

    const notFound = await failure(client.getSubscriber({ msisdn: "13899999999" }, { requestId: "req-nf-1" }));
    expect(notFound).toMatchObject({
      code: GrpcStatus.NOT_FOUND,
      reason: "SUBSCRIBER_NOT_FOUND",
      domain: TEST_DOMAIN,
      messages: { "zh-CN": "用户不存在。", en: "No such subscriber." },
      rpc: "omnihall.customer.v1.CustomerService/GetSubscriber",
      requestId: "req-nf-1",
    });

    const malformed = await failure(client.getSubscriber({ msisdn: "12" }));
    expect(malformed.reason).toBe("MSISDN_MALFORMED");
    expect(malformed.metadata).toEqual({ msisdn: "12" });
    expect(malformed.fieldViolations).toEqual([
      {
        field: "msisdn",
        reason: "MSISDN_MALFORMED",
        messages: { "zh-CN": "应为 11 位数字。", en: "Must be 11 digits." },
      },
    ]);
  });

  it("pages with tokens that only work with the filters they were made for", async () => {
    const service = await serve([customerServiceDouble()]);
    const { client } = customerClient(service.address);
    const gd = ListSubscribersRequest.fromPartial({ provinceCode: "GD" });

    const first = await client.listSubscribers(gd);
    expect(first.subscribers.map((s) => s.msisdn)).toEqual(["13800000001", "13800000002"]);
    const second = await client.listSubscribers({ ...gd, pageToken: first.nextPageToken });
    expect(second.subscribers.map((s) => s.msisdn)).toEqual(["13800000004", "13800000005"]);
    expect(second.nextPageToken).toBe("");

    const otherFilters = { ...gd, status: SubscriberStatus.SUBSCRIBER_STATUS_ACTIVE, pageToken: first.nextPageToken };
    const refused = await failure(client.listSubscribers(otherFilters));
    expect(refused).toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT, reason: "PAGE_TOKEN_INVALID" });
    expect((await failure(client.listSubscribers({ ...gd, pageSize: -5 }))).reason).toBe("PAGE_SIZE_INVALID");
  });

  it("presents its caller credential: a wrong one is refused, the right one names the caller", async () => {
    const callers: string[] = [];
    const service = await serve([
      customerServiceDouble({
        getSubscriber: async (_request, ctx) => {
          callers.push(ctx.caller);
          return { subscriber: CANNED_SUBSCRIBERS[0] };
        },
      }),
    ]);
    const { client: kiosk } = customerClient(service.address, {
      caller: "kiosk",
      credential: "kiosk-key-this-service-does-not-know",
    });
    const refused = await failure(kiosk.getSubscriber({ msisdn: "13800000001" }));
    expect(refused).toMatchObject({ code: GrpcStatus.UNAUTHENTICATED, reason: "CALLER_UNKNOWN" });

    const { client: smsHall } = customerClient(service.address, {
      caller: "sms-hall",
      credential: TEST_CALLERS.get("sms-hall")!,
    });
    await smsHall.getSubscriber({ msisdn: "13800000001" });
    expect(callers).toEqual(["sms-hall"]);
  });

  it("sends the request id it is given, or a fresh one per call", async () => {
    const contexts: CallContext[] = [];
    const service = await serve([
      customerServiceDouble({
        getSubscriber: async (_request, ctx) => {
          contexts.push(ctx);
          return { subscriber: CANNED_SUBSCRIBERS[0] };
        },
      }),
    ]);
    const { client } = customerClient(service.address);
    await client.getSubscriber({ msisdn: "13800000001" }, { requestId: "req-from-web-7" });
    await client.getSubscriber({ msisdn: "13800000001" });
    await client.getSubscriber({ msisdn: "13800000001" });
    expect(contexts[0]?.requestId).toBe("req-from-web-7");
    expect(contexts[1]?.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(contexts[2]?.requestId).not.toBe(contexts[1]?.requestId);
  });
});

describe("deadlines and cancellation", () => {
  const hangUntilAborted = (seen: CallContext[]) =>
    customerServiceDouble({
      getSubscriber: (_request, ctx) => {
        seen.push(ctx);
        return new Promise((_resolve, reject) => ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason)));
      },
    });

  it("gives up at the deadline with DEADLINE_EXCEEDED, and the handler's signal aborts", async () => {
    const seen: CallContext[] = [];
    const service = await serve([hangUntilAborted(seen)]);
    const { client } = customerClient(service.address);

    const startedAt = Date.now();
    const late = await failure(client.getSubscriber({ msisdn: "13800000001" }, { deadlineMs: 150 }));
    expect(late).toMatchObject({ code: GrpcStatus.DEADLINE_EXCEEDED, reason: "DEADLINE_EXCEEDED", domain: "" });
    expect(late.messages["zh-CN"]).toBe("服务响应超时，请稍后再试。");
    expect(Date.now() - startedAt).toBeLessThan(1_000);
    await expect.poll(() => seen[0]?.signal.aborted).toBe(true);
  });

  it("puts its default deadline on calls that set none", async () => {
    const seen: CallContext[] = [];
    const service = await serve([hangUntilAborted(seen)]);
    const { client } = customerClient(service.address, { defaultDeadlineMs: 300 });
    const startedAt = Date.now();
    expect((await failure(client.getSubscriber({ msisdn: "13800000001" }))).code).toBe(GrpcStatus.DEADLINE_EXCEEDED);
    const deadlineMs = seen[0]!.deadline!.getTime() - startedAt;
    expect(deadlineMs).toBeGreaterThan(200);
    expect(deadlineMs).toBeLessThan(700);
  });

  it("cancels the call when the caller's signal aborts", async () => {
    const seen: CallContext[] = [];
    const service = await serve([hangUntilAborted(seen)]);
    const { client } = customerClient(service.address);
    const aborter = new AbortController();
    const pending = failure(client.getSubscriber({ msisdn: "13800000001" }, { signal: aborter.signal }));
    await expect.poll(() => seen.length).toBe(1);
    aborter.abort();
    expect((await pending).code).toBe(GrpcStatus.CANCELLED);
    await expect.poll(() => seen[0]?.signal.aborted).toBe(true);
  });
});

describe("several instances of a service", () => {
  /** A customer service double that counts the calls it answered. */
  async function countingInstance(options: { maxConnectionAgeMs?: number } = {}) {
    let calls = 0;
    const double = customerServiceDouble();
    const getSubscriber = double.handlers.getSubscriber;
    const { logger } = captureLogs("service");
    const service = await startService({
      name: "test",
      domain: TEST_DOMAIN,
      port: 0,
      services: [
        {
          ...double,
          handlers: {
            ...double.handlers,
            getSubscriber: (request, context) => {
              calls += 1;
              return getSubscriber(request, context);
            },
          },
        },
      ],
      callers: TEST_CALLERS,
      logger,
      ...options,
    });
    onTestFinished(service.stop);
    return { service, calls: () => calls };
  }

  it("spreads calls round robin over every address of the target", async () => {
    const [a, b] = [await countingInstance(), await countingInstance()];
    const { client } = customerClient(`ipv4:127.0.0.1:${a.service.port},127.0.0.1:${b.service.port}`);

    for (let i = 0; i < 40; i++) await client.getSubscriber({ msisdn: "13800000003" });

    // Both subchannels connect before the first call is picked; then the picker alternates.
    expect(a.calls() + b.calls()).toBe(40);
    expect(a.calls()).toBeGreaterThanOrEqual(15);
    expect(b.calls()).toBeGreaterThanOrEqual(15);
  });

  it("ends old connections after their maximum age: the client reconnects (re-resolving) and no call fails", async () => {
    const instance = await countingInstance({ maxConnectionAgeMs: 300 });
    // A TCP relay in front of the service counts the client's connections.
    let connections = 0;
    const sockets = new Set<Socket>();
    const relay = createServer((socket) => {
      connections += 1;
      sockets.add(socket);
      const upstream = connect(instance.service.port, "127.0.0.1");
      socket.pipe(upstream).pipe(socket);
      socket.on("error", () => upstream.destroy());
      upstream.on("error", () => socket.destroy());
    });
    await new Promise<void>((resolve) => relay.listen(0, "127.0.0.1", resolve));
    onTestFinished(async () => {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => relay.close(() => resolve()));
    });
    const { client } = customerClient(`127.0.0.1:${(relay.address() as AddressInfo).port}`);

    let answered = 0;
    // Calls keep succeeding through the GOAWAYs: the grace lets in-flight calls finish, new ones reconnect.
    while (connections < 3 || answered < 10) {
      await client.getSubscriber({ msisdn: "13800000003" });
      answered += 1;
    }
    expect(answered).toBe(instance.calls());
    expect(connections).toBeGreaterThanOrEqual(3);
  });
});

describe("mutual TLS", () => {
  /** A development CA and certificates for these apps (infra/tls/make-dev-ca.sh), plus a second, foreign CA. */
  const certificates = (() => {
    let made: Promise<{ of(app: string, ca?: "own" | "foreign"): TransportSecurity }> | undefined;
    return () =>
      (made ??= (async () => {
        const dir = await mkdtemp(path.join(tmpdir(), "omnihall-tls-"));
        const script = fileURLToPath(new URL("../../../infra/tls/make-dev-ca.sh", import.meta.url));
        execFileSync("bash", [script, path.join(dir, "own"), "test", "web-hall", "orders"]);
        execFileSync("bash", [script, path.join(dir, "foreign"), "web-hall"]);
        return {
          of: (app: string, ca: "own" | "foreign" = "own") => ({
            ca: readFileSync(path.join(dir, ca, "ca.crt")),
            cert: readFileSync(path.join(dir, ca, `${app}.crt`)),
            key: readFileSync(path.join(dir, ca, `${app}.key`)),
          }),
        };
      })());
  })();

  async function tlsService() {
    const { of } = await certificates();
    const { logger } = captureLogs("service");
    const service = await startService({
      name: "test",
      domain: TEST_DOMAIN,
      port: 0,
      services: [customerServiceDouble()],
      callers: TEST_CALLERS,
      logger,
      transportSecurity: of("test"),
    });
    onTestFinished(service.stop);
    return { service, of };
  }

  it("serves callers whose certificate the CA signed and whose key names the same app", async () => {
    const { service, of } = await tlsService();
    const { client } = customerClient(service.address, { transportSecurity: of("web-hall") });
    expect((await client.getSubscriber({ msisdn: "13800000003" })).subscriber?.city).toBe("Beijing");
  });

  it("refuses plaintext, a certificate from another CA, and a key presented under another app's certificate", async () => {
    const { service, of } = await tlsService();
    const retry = { maxAttempts: 1 };
    const plaintext = customerClient(service.address, { transportSecurity: null, retry }).client;
    expect((await failure(plaintext.getSubscriber({ msisdn: "13800000003" }))).code).toBe(GrpcStatus.UNAVAILABLE);

    const foreign = customerClient(service.address, { transportSecurity: of("web-hall", "foreign"), retry }).client;
    expect((await failure(foreign.getSubscriber({ msisdn: "13800000003" }))).code).toBe(GrpcStatus.UNAVAILABLE);

    // The web hall's key from the orders service's certificate: a stolen key used from elsewhere.
    const mismatched = customerClient(service.address, { transportSecurity: of("orders"), retry }).client;
    expect(await failure(mismatched.getSubscriber({ msisdn: "13800000003" }))).toMatchObject({
      code: GrpcStatus.UNAUTHENTICATED,
      reason: "CALLER_CERTIFICATE_MISMATCH",
    });
  });
});

describe("retries on UNAVAILABLE", () => {
  /** A CustomerService that answers UNAVAILABLE to the first `refusals` calls of each method. */
  function flakyService(refusals: number) {
    const attempts = { getSubscriber: 0, startLogin: 0, listSubscribers: 0 };
    const registration = customerServiceDouble({
      getSubscriber: async () => {
        if (++attempts.getSubscriber <= refusals) throw unavailableNow();
        return { subscriber: CANNED_SUBSCRIBERS[0] };
      },
      startLogin: async () => {
        if (++attempts.startLogin <= refusals) throw unavailableNow();
        return { expireTime: new Date(), resendTime: new Date() };
      },
    });
    return { registration, attempts };
  }

  it("retries reads until the service answers", async () => {
    const { registration, attempts } = flakyService(2);
    const service = await serve([registration]);
    const { client, logs } = customerClient(service.address);
    const found = await client.getSubscriber({ msisdn: "13800000001" }, { requestId: "req-retry-1" });
    expect(found.subscriber?.msisdn).toBe("13800000001");
    expect(attempts.getSubscriber).toBe(3);
    expect(logs.filter((entry) => entry.msg === "service unavailable; retrying")).toMatchObject([
      { attempt: 1, requestId: "req-retry-1" },
      { attempt: 2, requestId: "req-retry-1" },
    ]);
  });

  it("retries a mutation only when it carries a request_id", async () => {
    const { registration, attempts } = flakyService(2);
    const service = await serve([registration]);
    const { client } = customerClient(service.address);
    const login = StartLoginRequest.fromPartial({ msisdn: "13800000001" });

    const once = await failure(client.startLogin(login));
    expect(once).toMatchObject({ code: GrpcStatus.UNAVAILABLE, reason: "DEPENDENCY_UNAVAILABLE" });
    expect(attempts.startLogin).toBe(1);

    await client.startLogin({ ...login, requestId: "login-attempt-1" });
    expect(attempts.startLogin).toBe(3);
  });

  it("stops after maxAttempts and never retries other failures", async () => {
    const { registration, attempts } = flakyService(10);
    const service = await serve([registration]);
    const { client } = customerClient(service.address, { retry: { maxAttempts: 3, initialBackoffMs: 10 } });
    expect((await failure(client.getSubscriber({ msisdn: "13800000001" }))).code).toBe(GrpcStatus.UNAVAILABLE);
    expect(attempts.getSubscriber).toBe(3);

    const notFound = await serve([customerServiceDouble()]);
    const { client: other, logs } = customerClient(notFound.address);
    expect((await failure(other.getSubscriber({ msisdn: "13899999999" }))).code).toBe(GrpcStatus.NOT_FOUND);
    expect(logs).toEqual([]);
  });

  it("reaches a service that starts after the first attempts were refused", async () => {
    const port = await freePort();
    // A budget wide enough for a slow start on a busy machine.
    const retry = { maxAttempts: 30, initialBackoffMs: 50, maxBackoffMs: 300 };
    const { client, logs } = customerClient(`127.0.0.1:${port}`, { retry, defaultDeadlineMs: 15_000 });
    const retries = () => logs.filter((entry) => entry.msg === "service unavailable; retrying");

    const read = client.getSubscriber(GetSubscriberRequest.fromPartial({ msisdn: "13800000002" }));
    const refused = await failure(client.startLogin(StartLoginRequest.fromPartial({ msisdn: "13800000002" })));
    expect(refused).toMatchObject({ code: GrpcStatus.UNAVAILABLE, reason: "UNAVAILABLE", domain: "" });
    expect(refused.messages.en).toBe("The service is unavailable. Please try again later.");

    await expect.poll(() => retries().length, { timeout: 5_000 }).toBeGreaterThanOrEqual(2);
    await serve([customerServiceDouble()], port);
    expect((await read).subscriber?.msisdn).toBe("13800000002");
    // Only the read was retried; the mutation without a request_id failed on its one attempt.
    expect(retries().every((entry) => entry.rpc === "omnihall.customer.v1.CustomerService/GetSubscriber")).toBe(true);
  });
});

describe("streams", () => {
  it("reads a server stream as an async iterable and sends a client stream from any iterable", async () => {
    const service = await serve([subscriberStreamDouble()]);
    const client = createServiceClient(SubscriberStreamServiceClient, {
      address: service.address,
      caller: "web-hall",
      credential: TEST_CALLERS.get("web-hall")!,
    });
    onTestFinished(() => client.close());

    const exported: string[] = [];
    for await (const subscriber of client.exportSubscribers(
      ListSubscribersRequest.fromPartial({ provinceCode: "BJ" }),
    )) {
      exported.push(subscriber.msisdn);
    }
    expect(exported).toEqual(["13800000003"]);

    async function* slowly() {
      for (const subscriber of CANNED_SUBSCRIBERS) {
        await sleep(5);
        yield subscriber;
      }
    }
    expect((await client.importSubscribers(slowly())).subscribers).toHaveLength(CANNED_SUBSCRIBERS.length);
    const bad = await failure(client.importSubscribers([{ ...CANNED_SUBSCRIBERS[0]!, msisdn: "x" }]));
    expect(bad).toMatchObject({ code: GrpcStatus.INVALID_ARGUMENT, reason: "MSISDN_MALFORMED" });
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}
