import { randomUUID } from "node:crypto";
import { once } from "node:events";
import { setTimeout as sleep } from "node:timers/promises";
import {
  credentials as grpcCredentials,
  Metadata,
  status as GrpcStatus,
  type ChannelCredentials,
  type Client,
  type ClientOptions,
  type ServiceError,
} from "@grpc/grpc-js";
import { loadTransportSecurity, type TransportSecurity } from "@omnihall/config";
import {
  ACTING_PARTIES_KEY,
  ACTING_PARTY_KEY,
  AUTHORIZATION_KEY,
  REQUEST_ID_KEY,
  actingPartyKey,
  signActingParties,
  signActingParty,
  type ActingParty,
  type Logger,
  type MethodDefinition,
  type RequestOf,
  type ResponseOf,
  type ServiceDefinition,
} from "@omnihall/service-kit";
import {
  SpanKind,
  contextOf,
  failSpan,
  grpcClientInstruments,
  injectTraceContext,
  startSpan,
  tracingEnabled,
  type CallInstruments,
} from "@omnihall/telemetry";
import { ServiceCallError } from "./service-call-error.js";

/** Per-call options. */
export interface CallOptions {
  /** Correlation id sent as x-request-id; pass the one of the request being served to follow it across services. */
  requestId?: string;
  /** How long the whole call, retries included, may take; default: the client's defaultDeadlineMs. */
  deadlineMs?: number;
  /** Cancels the call (e.g. when the HTTP request that needed it is aborted). */
  signal?: AbortSignal;
  /**
   * Whom this call acts for: the logged-in subscriber, the agent, the operator or the kiosk. Sent signed with this
   * app's key; the service checks it and enforces the party's scope. Halls must send it; services act for nobody.
   */
  party?: ActingParty;
  /**
   * A Batch… method's parties instead: one per item of its `requests`, in order (see `batchedCalls`, which fills
   * it in from each item's own `party`).
   */
  parties?: Array<ActingParty | undefined>;
}

export interface RetryOptions {
  /** Attempts in all, the first included; default 5. */
  maxAttempts?: number;
  /** Wait before the first retry, doubling per retry; default 100 ms. */
  initialBackoffMs?: number;
  /** Longest wait between attempts; default 1 s. */
  maxBackoffMs?: number;
}

export interface ServiceClientOptions {
  /**
   * The service: host:port (every address the host resolves to is used, round robin), or any gRPC target such as
   * `dns:///customer.omnihall.svc:50051` or `ipv4:10.0.0.1:50051,10.0.0.2:50051`.
   */
  address: string;
  /** This app's caller name, e.g. "web-hall" (sent as the user agent, used in logs). */
  caller: string;
  /** This app's caller key (config `OMNIHALL_CALLER_KEY`). */
  credential: string;
  /** Deadline of calls that set none; default 5 s. Every call has a deadline. */
  defaultDeadlineMs?: number;
  logger?: Logger;
  retry?: RetryOptions;
  /**
   * Mutual TLS with the service: this app's certificate and the CA the service's must come from. Default: from
   * OMNIHALL_TLS_* (see `loadTransportSecurity` in @omnihall/config), plaintext when unset; null forces plaintext.
   */
  transportSecurity?: TransportSecurity | null;
  /** Transport credentials as grpc-js takes them; overrides transportSecurity. */
  channelCredentials?: ChannelCredentials;
}

/** A method as the client exposes it: promise-returning, or an async iterable for server streams. */
export type ClientMethod<M extends MethodDefinition> = M["requestStream"] extends true
  ? M["responseStream"] extends true
    ? never
    : (requests: AsyncIterable<RequestOf<M>> | Iterable<RequestOf<M>>, options?: CallOptions) => Promise<ResponseOf<M>>
  : M["responseStream"] extends true
    ? (request: RequestOf<M>, options?: CallOptions) => AsyncIterable<ResponseOf<M>>
    : (request: RequestOf<M>, options?: CallOptions) => Promise<ResponseOf<M>>;

export type ServiceClient<D extends ServiceDefinition> = { [K in keyof D]: ClientMethod<D[K]> } & {
  /** Closes the connection; calls made afterwards fail. */
  close(): void;
};

/** A ts-proto generated client class, e.g. `BillingServiceClient`. */
export interface ClientClass<D extends ServiceDefinition> {
  new (address: string, credentials: ChannelCredentials, options?: Partial<ClientOptions>): Client;
  service: D;
}

function channelCredentialsOf(options: ServiceClientOptions): ChannelCredentials {
  const security =
    options.transportSecurity === undefined ? loadTransportSecurity() : (options.transportSecurity ?? undefined);
  return security
    ? grpcCredentials.createSsl(security.ca, security.key, security.cert)
    : grpcCredentials.createInsecure();
}

const ROUND_ROBIN = JSON.stringify({ loadBalancingConfig: [{ round_robin: {} }] });

/** Writes W3C trace context (`traceparent`) into gRPC metadata. */
const metadataSetter = { set: (metadata: Metadata, key: string, value: string) => metadata.set(key, value) };

type MethodInstruments = CallInstruments & { retried(): void };

/**
 * Reads are safe to repeat, and so are mutations carrying an AIP-155 request_id (the service answers a repeat
 * with the first result). Nothing else is retried: it might have taken effect before the failure.
 */
function isIdempotent(method: MethodDefinition, request: unknown): boolean {
  const methodName = method.path.slice(method.path.lastIndexOf("/") + 1);
  if (/^(Batch)?(Get|List)[A-Z]/.test(methodName)) return true;
  // A batch of mutations, when every item may be repeated.
  const items = (request as { requests?: unknown } | null)?.requests;
  if (methodName.startsWith("Batch") && Array.isArray(items)) return items.every(carriesRequestId);
  return carriesRequestId(request);
}

function carriesRequestId(request: unknown): boolean {
  const requestId = (request as { requestId?: unknown } | null)?.requestId;
  return typeof requestId === "string" && requestId !== "";
}

/**
 * A client for one domain service: typed promise-returning methods, caller credentials and x-request-id on every
 * call, a deadline on every call, retries with backoff on UNAVAILABLE for idempotent calls, and failures as
 * `ServiceCallError`. Bidirectional streams are not offered.
 */
export function createServiceClient<D extends ServiceDefinition>(
  Class: ClientClass<D>,
  options: ServiceClientOptions,
): ServiceClient<D> {
  const defaultDeadlineMs = options.defaultDeadlineMs ?? 5_000;
  const maxAttempts = options.retry?.maxAttempts ?? 5;
  const initialBackoffMs = options.retry?.initialBackoffMs ?? 100;
  const maxBackoffMs = options.retry?.maxBackoffMs ?? 1_000;
  const client = new Class(options.address, options.channelCredentials ?? channelCredentialsOf(options), {
    "grpc.primary_user_agent": `omnihall-${options.caller}`,
    // Reconnect soon after a refused connection, so retries can reach a service that is just (re)starting.
    "grpc.initial_reconnect_backoff_ms": 250,
    "grpc.max_reconnect_backoff_ms": 5_000,
    // Nothing reads grpc-js's channelz registry, which counts and timestamps every call. (Servers keep it: grpc-js
    // 1.14's forceShutdown finds the sessions to cut through channelz's session table.)
    "grpc.enable_channelz": 0,
    // Every address the name resolves to gets calls in turn (a headless Kubernetes Service resolves to every
    // ready pod; "ipv4:10.0.0.1:50051,10.0.0.2:50051" lists them), instead of grpc-js's default of the first one.
    "grpc.service_config": ROUND_ROBIN,
  });

  const partyKey = actingPartyKey(options.credential);
  // One set per method, made with the client: a call only adds to numbers.
  const instrumentsByPath = new Map<string, MethodInstruments>();
  const authorization = `Bearer ${options.credential}`;

  function prepare(method: MethodDefinition, callOptions: CallOptions = {}) {
    const startedAt = performance.now();
    const requestId = callOptions.requestId ?? randomUUID();
    const metadata = new Metadata();
    metadata.set(AUTHORIZATION_KEY, authorization);
    metadata.set(REQUEST_ID_KEY, requestId);
    if (callOptions.party) {
      metadata.set(ACTING_PARTY_KEY, signActingParty(callOptions.party, { caller: options.caller, key: partyKey }));
    }
    if (callOptions.parties) {
      const signed = signActingParties(callOptions.parties, { caller: options.caller, key: partyKey });
      metadata.set(ACTING_PARTIES_KEY, signed);
    }
    const rpc = method.path.slice(1);
    // With tracing on, the call is a client span (child of whatever the caller is doing) and the service
    // continues it from the traceparent it is sent.
    const span = tracingEnabled()
      ? startSpan(rpc, {
          kind: SpanKind.CLIENT,
          attributes: { "rpc.system": "grpc", "omnihall.caller": options.caller },
        })
      : undefined;
    if (span) injectTraceContext(metadata, metadataSetter, contextOf(span));
    const instruments = instrumentsByPath.get(method.path)!;
    let finished = false;
    return {
      rpc,
      requestId,
      metadata,
      deadline: new Date(Date.now() + (callOptions.deadlineMs ?? defaultDeadlineMs)),
      signal: callOptions.signal,
      instruments,
      fail: (error: unknown) => ServiceCallError.fromServiceError(error as ServiceError, rpc, requestId),
      /** Records the call's outcome once it is over (retries included); later calls are ignored. */
      finish(error?: unknown): void {
        if (finished) return;
        finished = true;
        const seconds = (performance.now() - startedAt) / 1000;
        if (error === undefined) {
          instruments.record(seconds, "OK");
        } else {
          const known = error instanceof ServiceCallError;
          instruments.record(
            seconds,
            known ? (GrpcStatus[error.code] ?? "UNKNOWN") : "UNKNOWN",
            known ? error.reason : "",
          );
          if (span) failSpan(span, error, known ? error.reason : undefined);
        }
        span?.end();
      },
    };
  }
  type Prepared = ReturnType<typeof prepare>;

  function attemptUnary(method: MethodDefinition, request: unknown, call: Prepared): Promise<unknown> {
    return new Promise((resolve, reject) => {
      const unary = client.makeUnaryRequest(
        method.path,
        method.requestSerialize as (value: unknown) => Buffer,
        method.responseDeserialize,
        request,
        call.metadata,
        { deadline: call.deadline },
        (error, response) => {
          call.signal?.removeEventListener("abort", cancel);
          if (error) reject(call.fail(error));
          else resolve(response);
        },
      );
      const cancel = () => unary.cancel();
      call.signal?.addEventListener("abort", cancel, { once: true });
    });
  }

  async function callUnary(method: MethodDefinition, request: unknown, callOptions?: CallOptions): Promise<unknown> {
    const call = prepare(method, callOptions);
    try {
      const response = await callUnaryWithRetries(method, request, call);
      call.finish();
      return response;
    } catch (error) {
      call.finish(error);
      throw error;
    }
  }

  async function callUnaryWithRetries(method: MethodDefinition, request: unknown, call: Prepared): Promise<unknown> {
    const retryable = isIdempotent(method, request);
    for (let attempt = 1; ; attempt += 1) {
      if (call.signal?.aborted) throw ServiceCallError.cancelled(call.rpc, call.requestId);
      try {
        return await attemptUnary(method, request, call);
      } catch (error) {
        const unavailable = error instanceof ServiceCallError && error.code === GrpcStatus.UNAVAILABLE;
        // Equal jitter: half the backoff fixed, half random, so restarted callers don't retry in lockstep.
        const backoffMs = Math.min(maxBackoffMs, initialBackoffMs * 2 ** (attempt - 1)) * (0.5 + Math.random() / 2);
        const timeLeft = call.deadline.getTime() - Date.now() > backoffMs;
        if (!unavailable || !retryable || attempt >= maxAttempts || !timeLeft) throw error;
        call.instruments.retried();
        options.logger?.warn(
          { rpc: call.rpc, requestId: call.requestId, attempt, backoffMs: Math.round(backoffMs) },
          "service unavailable; retrying",
        );
        await sleep(backoffMs, undefined, { signal: call.signal }).catch(() => {});
      }
    }
  }

  async function* callServerStream(method: MethodDefinition, request: unknown, callOptions?: CallOptions) {
    const call = prepare(method, callOptions);
    const stream = client.makeServerStreamRequest(
      method.path,
      method.requestSerialize as (value: unknown) => Buffer,
      method.responseDeserialize,
      request,
      call.metadata,
      { deadline: call.deadline },
    );
    const cancel = () => stream.cancel();
    call.signal?.addEventListener("abort", cancel, { once: true });
    try {
      for await (const response of stream) yield response;
      call.finish();
    } catch (error) {
      const failure = call.fail(error);
      call.finish(failure);
      throw failure;
    } finally {
      call.signal?.removeEventListener("abort", cancel);
      // Ends the call if the consumer stopped reading early; a no-op once it completed.
      stream.cancel();
      // A consumer that stopped reading early ended the call normally, as far as it is concerned.
      call.finish();
    }
  }

  function callClientStream(
    method: MethodDefinition,
    requests: AsyncIterable<unknown> | Iterable<unknown>,
    callOptions?: CallOptions,
  ): Promise<unknown> {
    const call = prepare(method, callOptions);
    const finished = new AbortController();
    return new Promise((resolve, reject) => {
      const stream = client.makeClientStreamRequest(
        method.path,
        method.requestSerialize as (value: unknown) => Buffer,
        method.responseDeserialize,
        call.metadata,
        { deadline: call.deadline },
        (error, response) => {
          finished.abort();
          call.signal?.removeEventListener("abort", cancel);
          const failure = error ? call.fail(error) : undefined;
          call.finish(failure);
          if (failure) reject(failure);
          else resolve(response);
        },
      );
      const cancel = () => stream.cancel();
      call.signal?.addEventListener("abort", cancel, { once: true });
      // Feeds the requests with backpressure until they run out or the call ends early (server error, deadline).
      (async () => {
        for await (const request of requests) {
          if (finished.signal.aborted) return;
          if (!stream.write(request)) await once(stream, "drain", { signal: finished.signal });
        }
        stream.end();
      })().catch((error: unknown) => {
        if (finished.signal.aborted) return;
        stream.cancel();
        reject(error);
      });
    });
  }

  const methods: Record<string, unknown> = {};
  for (const [name, method] of Object.entries(Class.service)) {
    if (method.requestStream && method.responseStream) continue;
    instrumentsByPath.set(method.path, grpcClientInstruments(method.path, options.caller));
    methods[name] = method.requestStream
      ? (requests: AsyncIterable<unknown> | Iterable<unknown>, callOptions?: CallOptions) =>
          callClientStream(method, requests, callOptions)
      : method.responseStream
        ? (request: unknown, callOptions?: CallOptions) => callServerStream(method, request, callOptions)
        : (request: unknown, callOptions?: CallOptions) => callUnary(method, request, callOptions);
  }
  methods.close = () => client.close();
  return methods as ServiceClient<D>;
}
