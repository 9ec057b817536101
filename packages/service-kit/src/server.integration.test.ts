import http2 from "node:http2";
import { createRequire } from "node:module";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import {
  credentials,
  loadPackageDefinition,
  makeClientConstructor,
  Metadata,
  status as GrpcStatus,
  type ClientReadableStream,
  type ServiceError,
} from "@grpc/grpc-js";
import { loadSync } from "@grpc/proto-loader";
import { service as healthService } from "grpc-health-check";
import { developmentCallerKey } from "@omnihall/config";
import {
  CustomerServiceClient,
  GetSubscriberRequest,
  ListSubscribersRequest,
  type GetSubscriberResponse,
  type Subscriber,
} from "@omnihall/proto/omnihall/customer/v1/customer";
import { describe, expect, it, onTestFinished } from "vitest";
import { waitFor } from "@omnihall/testkit";
import { decodeErrorDetails, REQUEST_ID_KEY, startService, type CallContext } from "./index.js";
import {
  CANNED_SUBSCRIBERS,
  captureLogs,
  customerServiceDouble,
  SubscriberStreamServiceClient,
  subscriberStreamDouble,
  TEST_CALLERS,
  TEST_DOMAIN,
} from "./testing.js";

const CUSTOMER_SERVICE = "omnihall.customer.v1.CustomerService";

function baseOptions() {
  const { logger, entries } = captureLogs();
  return { options: { name: "test", domain: TEST_DOMAIN, port: 0, callers: TEST_CALLERS, logger }, entries };
}

function callerMetadata(key = developmentCallerKey("web-hall"), requestId?: string): Metadata {
  const metadata = new Metadata();
  if (key) metadata.set("authorization", `Bearer ${key}`);
  if (requestId) metadata.set(REQUEST_ID_KEY, requestId);
  return metadata;
}

function customerClient(address: string) {
  const client = new CustomerServiceClient(address, credentials.createInsecure());
  onTestFinished(() => client.close());
  return client;
}

interface Outcome<Response> {
  response?: Response;
  error?: ServiceError;
  headers?: Metadata;
}

/** GetSubscriber over a raw grpc-js client, keeping everything the server sent back. */
function getSubscriber(
  client: CustomerServiceClient,
  request: GetSubscriberRequest,
  metadata: Metadata,
  options: { deadlineMs?: number; onCall?: (call: { cancel(): void }) => void } = {},
): Promise<Outcome<GetSubscriberResponse>> {
  return new Promise((resolve) => {
    const outcome: Outcome<GetSubscriberResponse> = {};
    const deadline = options.deadlineMs === undefined ? Infinity : Date.now() + options.deadlineMs;
    const call = client.getSubscriber(request, metadata, { deadline }, (error, response) =>
      resolve(Object.assign(outcome, error ? { error } : { response })),
    );
    call.on("metadata", (headers) => (outcome.headers = headers));
    options.onCall?.(call);
  });
}

// In-process conditions: asked often, given up soon.
const FAST = { timeoutMs: 2_000, intervalMs: 10 };

describe("errors", () => {
  it("sends a DomainError as a rich status with reason, domain, both languages and field violations", async () => {
    const { options } = baseOptions();
    const service = await startService({ ...options, services: [customerServiceDouble()] });
    onTestFinished(service.stop);
    const client = customerClient(service.address);

    const notFound = await getSubscriber(client, { msisdn: "13899999999" }, callerMetadata());
    expect(notFound.error?.code).toBe(GrpcStatus.NOT_FOUND);
    expect(notFound.error?.details).toBe("No such subscriber.");
    expect(decodeErrorDetails(notFound.error!.code, notFound.error!.metadata)).toEqual({
      reason: "SUBSCRIBER_NOT_FOUND",
      domain: TEST_DOMAIN,
      messages: { "zh-CN": "用户不存在。", en: "No such subscriber." },
      metadata: {},
      fieldViolations: [],
    });

    const malformed = await getSubscriber(client, { msisdn: "12" }, callerMetadata());
    expect(malformed.error?.code).toBe(GrpcStatus.INVALID_ARGUMENT);
    expect(decodeErrorDetails(malformed.error!.code, malformed.error!.metadata)).toMatchObject({
      reason: "MSISDN_MALFORMED",
      metadata: { msisdn: "12" },
      fieldViolations: [
        {
          field: "msisdn",
          reason: "MSISDN_MALFORMED",
          messages: { "zh-CN": "应为 11 位数字。", en: "Must be 11 digits." },
        },
      ],
    });
  });

  it("turns an unexpected exception into a generic INTERNAL and logs the cause with its stack", async () => {
    const { options, entries } = baseOptions();
    const services = [
      customerServiceDouble({
        getSubscriber: async () => {
          throw new Error("connection string postgres://secret@db leaked?");
        },
      }),
    ];
    const service = await startService({ ...options, services });
    onTestFinished(service.stop);

    const { error } = await getSubscriber(
      customerClient(service.address),
      { msisdn: "13800000001" },
      callerMetadata(undefined, "req-internal-1"),
    );
    expect(error?.code).toBe(GrpcStatus.INTERNAL);
    expect(JSON.stringify(error)).not.toContain("secret");
    const details = decodeErrorDetails(error!.code, error!.metadata);
    expect(details?.reason).toBe("INTERNAL");
    expect(details?.messages["zh-CN"]).toBe("系统内部错误，请稍后再试。");
    const logged = entries.find((entry) => entry.msg === "unexpected error");
    expect(logged).toMatchObject({ level: 50, requestId: "req-internal-1", caller: "web-hall" });
    expect((logged?.err as { stack: string }).stack).toContain("postgres://secret@db");
  });
});

describe("callers", () => {
  it("rejects a missing or unknown credential before the handler runs, and names the caller it accepts", async () => {
    const { options, entries } = baseOptions();
    const seenCallers: string[] = [];
    const services = [
      customerServiceDouble({
        getSubscriber: async (_request, ctx) => {
          seenCallers.push(ctx.caller);
          return { subscriber: CANNED_SUBSCRIBERS[0] };
        },
      }),
    ];
    const service = await startService({ ...options, services });
    onTestFinished(service.stop);
    const client = customerClient(service.address);

    const missing = await getSubscriber(client, { msisdn: "13800000001" }, callerMetadata(""));
    expect(missing.error?.code).toBe(GrpcStatus.UNAUTHENTICATED);
    expect(decodeErrorDetails(missing.error!.code, missing.error!.metadata).reason).toBe("CALLER_CREDENTIALS_MISSING");

    const unknown = await getSubscriber(
      client,
      { msisdn: "13800000001" },
      callerMetadata(developmentCallerKey("kiosk")),
    );
    expect(unknown.error?.code).toBe(GrpcStatus.UNAUTHENTICATED);
    expect(decodeErrorDetails(unknown.error!.code, unknown.error!.metadata).reason).toBe("CALLER_UNKNOWN");
    expect(seenCallers).toEqual([]);
    expect(entries.filter((entry) => entry.msg === "call refused")).toHaveLength(2);

    const accepted = await getSubscriber(
      client,
      { msisdn: "13800000001" },
      callerMetadata(developmentCallerKey("sms-hall")),
    );
    expect(accepted.response?.subscriber?.msisdn).toBe("13800000001");
    expect(seenCallers).toEqual(["sms-hall"]);
  });
});

describe("request ids", () => {
  it("hands the caller's x-request-id to the handler, its logs and the response headers", async () => {
    const { options, entries } = baseOptions();
    const contexts: CallContext[] = [];
    const services = [
      customerServiceDouble({
        getSubscriber: async (_request, ctx) => {
          contexts.push(ctx);
          ctx.log.info("looking up");
          return { subscriber: CANNED_SUBSCRIBERS[0] };
        },
      }),
    ];
    const service = await startService({ ...options, services });
    onTestFinished(service.stop);
    const client = customerClient(service.address);

    const given = await getSubscriber(client, { msisdn: "13800000001" }, callerMetadata(undefined, "req-given-42"));
    expect(contexts[0]?.requestId).toBe("req-given-42");
    expect(given.headers?.get(REQUEST_ID_KEY)).toEqual(["req-given-42"]);
    const rpc = `${CUSTOMER_SERVICE}/GetSubscriber`;
    expect(entries.find((entry) => entry.msg === "looking up")).toMatchObject({
      requestId: "req-given-42",
      caller: "web-hall",
      rpc,
    });
    expect(entries.find((entry) => entry.msg === "rpc finished")).toMatchObject({
      requestId: "req-given-42",
      code: "OK",
    });

    const generated = await getSubscriber(client, { msisdn: "13800000001" }, callerMetadata());
    expect(contexts[1]?.requestId).toMatch(/^[0-9a-f-]{36}$/);
    expect(generated.headers?.get(REQUEST_ID_KEY)).toEqual([contexts[1]?.requestId]);
  });
});

describe("deadlines and cancellation", () => {
  it("answers DEADLINE_EXCEEDED and aborts the handler's signal when the deadline passes", async () => {
    const { options, entries } = baseOptions();
    let signal: AbortSignal | undefined;
    let deadline: Date | undefined;
    const services = [
      customerServiceDouble({
        getSubscriber: (_request, ctx) => {
          signal = ctx.signal;
          deadline = ctx.deadline;
          return new Promise((_resolve, reject) =>
            ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason)),
          );
        },
      }),
    ];
    const service = await startService({ ...options, services });
    onTestFinished(service.stop);

    const sentAt = Date.now();
    const { error } = await getSubscriber(
      customerClient(service.address),
      { msisdn: "13800000001" },
      callerMetadata(),
      {
        deadlineMs: 200,
      },
    );
    expect(error?.code).toBe(GrpcStatus.DEADLINE_EXCEEDED);
    expect(deadline!.getTime() - sentAt).toBeGreaterThan(100);
    expect(deadline!.getTime() - sentAt).toBeLessThan(600);
    await waitFor("the call to be aborted", () => signal?.aborted === true, FAST);
    // Whether the server's deadline timer or the client's cancel at its own (slightly earlier) deadline arrives
    // first depends on timing, so the server may record either.
    await waitFor("the rpc finished line", () => entries.some((entry) => entry.msg === "rpc finished"), FAST);
    const finished = entries.find((entry) => entry.msg === "rpc finished");
    expect(["DEADLINE_EXCEEDED", "CANCELLED"]).toContain(finished?.code);
  });

  it("aborts the handler's signal when the caller cancels", async () => {
    const { options } = baseOptions();
    let signal: AbortSignal | undefined;
    const services = [
      customerServiceDouble({
        getSubscriber: (_request, ctx) => {
          signal = ctx.signal;
          return new Promise((_resolve, reject) =>
            ctx.signal.addEventListener("abort", () => reject(ctx.signal.reason)),
          );
        },
      }),
    ];
    const service = await startService({ ...options, services });
    onTestFinished(service.stop);

    const outcome = getSubscriber(customerClient(service.address), { msisdn: "13800000001" }, callerMetadata(), {
      onCall: (call) =>
        void waitFor("the handler to start", () => signal !== undefined, FAST).then(() => call.cancel()),
    });
    expect((await outcome).error?.code).toBe(GrpcStatus.CANCELLED);
    await waitFor("the call to be aborted", () => signal?.aborted === true, FAST);
    expect((signal!.reason as Error).name).toBe("AbortError");
  });

  it("does not start a call whose deadline passed before its request arrived", async () => {
    const { options } = baseOptions();
    let started = 0;
    const services = [
      customerServiceDouble({
        getSubscriber: async () => {
          started += 1;
          return { subscriber: CANNED_SUBSCRIBERS[0] };
        },
      }),
    ];
    const service = await startService({ ...options, services });
    onTestFinished(service.stop);

    // A raw HTTP/2 gRPC request: headers with a 20 ms timeout now, the request message only after 100 ms.
    const session = http2.connect(`http://${service.address}`);
    session.on("error", () => {});
    onTestFinished(() => void session.close());
    const stream = session.request(
      {
        ":method": "POST",
        ":path": `/${CUSTOMER_SERVICE}/GetSubscriber`,
        "content-type": "application/grpc",
        te: "trailers",
        "grpc-timeout": "20m",
        authorization: `Bearer ${developmentCallerKey("web-hall")}`,
      },
      { endStream: false },
    );
    stream.on("error", () => {});
    const grpcStatus = new Promise<string>((resolve) => {
      stream.on("response", (headers) => headers["grpc-status"] && resolve(String(headers["grpc-status"])));
      stream.on("trailers", (trailers) => resolve(String(trailers["grpc-status"])));
    });
    await sleep(100);
    const message = GetSubscriberRequest.encode({ msisdn: "13800000001" }).finish();
    const frame = Buffer.alloc(5 + message.length);
    frame.writeUInt32BE(message.length, 1);
    Buffer.from(message).copy(frame, 5);
    if (!stream.closed) stream.end(frame);

    expect(Number(await grpcStatus)).toBe(GrpcStatus.DEADLINE_EXCEEDED);
    await sleep(50);
    expect(started).toBe(0);
  });
});

describe("health and reflection", () => {
  it("reports SERVING per service and overall without credentials, and NOT_SERVING once stopping", async () => {
    const { options } = baseOptions();
    const service = await startService({ ...options, services: [customerServiceDouble()] });
    onTestFinished(service.stop);
    const HealthClient = makeClientConstructor(healthService, "grpc.health.v1.Health");
    const health = new HealthClient(service.address, credentials.createInsecure()) as unknown as {
      Check(
        request: { service: string },
        callback: (error: ServiceError | null, response: { status: string }) => void,
      ): void;
      Watch(request: { service: string }): ClientReadableStream<{ status: string }>;
      close(): void;
    };
    onTestFinished(() => health.close());
    const check = (name: string) =>
      new Promise<string>((resolve, reject) =>
        health.Check({ service: name }, (error, response) => (error ? reject(error) : resolve(response.status))),
      );

    expect(await check("")).toBe("SERVING");
    expect(await check(CUSTOMER_SERVICE)).toBe("SERVING");
    await expect(check("omnihall.nope.v1.NopeService")).rejects.toMatchObject({ code: GrpcStatus.NOT_FOUND });

    const seen: string[] = [];
    const watch = health.Watch({ service: CUSTOMER_SERVICE });
    watch.on("data", (response) => seen.push(response.status));
    watch.on("error", () => {});
    await waitFor("the call to be seen", () => seen.length === 1, FAST);
    expect(seen).toEqual(["SERVING"]);
    await service.stop();
    expect(seen).toEqual(["SERVING", "NOT_SERVING"]);
  });

  it("lists the served services through server reflection, without credentials", async () => {
    const { options } = baseOptions();
    const service = await startService({ ...options, services: [customerServiceDouble(), subscriberStreamDouble()] });
    onTestFinished(service.stop);

    const reflectionProto = path.resolve(
      path.dirname(createRequire(import.meta.url).resolve("@grpc/reflection")),
      "../proto/grpc/reflection/v1/reflection.proto",
    );
    const loaded = loadPackageDefinition(loadSync(reflectionProto)) as unknown as {
      grpc: { reflection: { v1: { ServerReflection: new (address: string, creds: unknown) => ReflectionClient } } };
    };
    type ReflectionClient = {
      ServerReflectionInfo(): {
        write(request: object): void;
        end(): void;
        on(
          event: "data",
          listener: (response: { listServicesResponse?: { service: Array<{ name: string }> } }) => void,
        ): void;
        on(event: "error", listener: (error: Error) => void): void;
      };
      close(): void;
    };
    const reflection = new loaded.grpc.reflection.v1.ServerReflection(service.address, credentials.createInsecure());
    onTestFinished(() => reflection.close());
    const stream = reflection.ServerReflectionInfo();
    const names = new Promise<string[]>((resolve, reject) => {
      stream.on("data", (response) => resolve((response.listServicesResponse?.service ?? []).map((s) => s.name)));
      stream.on("error", reject);
    });
    stream.write({ listServices: "" });
    stream.end();
    // The test-only streaming service has no .proto in the contract, so reflection cannot describe it.
    expect((await names).sort()).toEqual(["grpc.health.v1.Health", CUSTOMER_SERVICE]);
  });
});

describe("graceful shutdown", () => {
  it("lets an in-flight call finish, refuses new ones, then runs onShutdown", async () => {
    const { options } = baseOptions();
    const events: string[] = [];
    let started = false;
    const services = [
      customerServiceDouble({
        getSubscriber: async () => {
          started = true;
          await sleep(300);
          events.push("call finished");
          return { subscriber: CANNED_SUBSCRIBERS[0] };
        },
      }),
    ];
    const service = await startService({
      ...options,
      services,
      onShutdown: async () => void events.push("onShutdown"),
    });
    const client = customerClient(service.address);

    const inFlight = getSubscriber(client, { msisdn: "13800000001" }, callerMetadata());
    await waitFor("the handler to start", () => started, FAST);
    const stopped = service.stop().then(() => events.push("stopped"));
    expect((await inFlight).response?.subscriber?.msisdn).toBe("13800000001");
    await stopped;
    expect(events).toEqual(["call finished", "onShutdown", "stopped"]);

    const late = await getSubscriber(client, { msisdn: "13800000001" }, callerMetadata(), { deadlineMs: 1_000 });
    expect(late.error?.code).toBe(GrpcStatus.UNAVAILABLE);
  });

  it("cuts off calls that outlive the shutdown timeout", async () => {
    const { options, entries } = baseOptions();
    let started = false;
    const services = [
      customerServiceDouble({
        getSubscriber: async () => {
          started = true;
          await sleep(5_000);
          return { subscriber: CANNED_SUBSCRIBERS[0] };
        },
      }),
    ];
    const service = await startService({ ...options, services, shutdownTimeoutMs: 200 });
    const inFlight = getSubscriber(customerClient(service.address), { msisdn: "13800000001" }, callerMetadata());
    await waitFor("the handler to start", () => started, FAST);
    const stopAt = Date.now();
    await service.stop();
    expect(Date.now() - stopAt).toBeLessThan(1_000);
    expect((await inFlight).error?.code).toBe(GrpcStatus.CANCELLED);
    expect(entries.some((entry) => entry.msg === "in-flight calls did not finish in time; cutting them off")).toBe(
      true,
    );
  });
});

describe("streaming", () => {
  it("serves server-streaming and client-streaming handlers", async () => {
    const { options } = baseOptions();
    const service = await startService({ ...options, services: [subscriberStreamDouble()] });
    onTestFinished(service.stop);
    const client = new SubscriberStreamServiceClient(service.address, credentials.createInsecure()) as unknown as {
      exportSubscribers(request: ListSubscribersRequest, metadata: Metadata): ClientReadableStream<Subscriber>;
      importSubscribers(
        metadata: Metadata,
        callback: (error: ServiceError | null, response: { subscribers: Subscriber[] }) => void,
      ): { write(subscriber: Subscriber): void; end(): void };
      close(): void;
    };
    onTestFinished(() => client.close());

    const exported: string[] = [];
    for await (const subscriber of client.exportSubscribers(
      ListSubscribersRequest.fromPartial({ provinceCode: "GD" }),
      callerMetadata(),
    )) {
      exported.push((subscriber as Subscriber).msisdn);
    }
    expect(exported).toEqual(["13800000001", "13800000002", "13800000004", "13800000005"]);

    const upload = (subscribers: Subscriber[]) =>
      new Promise<{ error: ServiceError | null; count?: number }>((resolve) => {
        const call = client.importSubscribers(callerMetadata(), (error, response) =>
          resolve({ error, count: response?.subscribers.length }),
        );
        for (const subscriber of subscribers) call.write(subscriber);
        call.end();
      });
    expect(await upload([...CANNED_SUBSCRIBERS])).toEqual({ error: null, count: CANNED_SUBSCRIBERS.length });
    const rejected = await upload([{ ...CANNED_SUBSCRIBERS[0]!, msisdn: "bad" }]);
    expect(decodeErrorDetails(rejected.error!.code, rejected.error!.metadata).reason).toBe("MSISDN_MALFORMED");
  });
});
