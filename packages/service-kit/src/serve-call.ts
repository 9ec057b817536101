import { randomUUID } from "node:crypto";
import { once } from "node:events";
import type { Writable } from "node:stream";
import type { PeerCertificate } from "node:tls";
import {
  Metadata,
  status as GrpcStatus,
  type sendUnaryData,
  type ServerUnaryCall,
  type StatusObject,
  type UntypedHandleCall,
} from "@grpc/grpc-js";
import {
  SpanKind,
  extractTraceContext,
  failSpan,
  grpcServerInstruments,
  runInSpan,
  startSpan,
  tracingEnabled,
  type CallInstruments,
  type Span,
} from "@omnihall/telemetry";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { itemHandlerOf, serveBatch } from "./batch.js";
import { DomainError } from "./domain-error.js";
import { describeParty } from "./access/acting-party.js";
import type { CallGate } from "./access/call-gate.js";
import type { CallRule } from "./access/policy.js";
import type { Logger } from "./logger.js";
import { genericMessages, toGrpcStatus } from "./rich-status.js";
import type { CallContext, MethodDefinition } from "./service-definition.js";

/** Metadata key carrying the correlation id, read from requests and echoed in response headers. */
export const REQUEST_ID_KEY = "x-request-id";
const ACCEPTABLE_REQUEST_ID = /^[\w.:-]{1,128}$/;
/** setTimeout fires at once for longer delays, so farther deadlines get no timer (grpc-js still enforces them). */
const LONGEST_TIMER_MS = 2_147_483_647;
const DEADLINE_SLACK_MS = 5;

/** What every call of one running service shares. */
export interface CallEnvironment {
  /** ErrorInfo.domain of this service's errors, e.g. "customer.omnihall". */
  domain: string;
  logger: Logger;
  authenticate: (metadata: Metadata, peerCertificate?: PeerCertificate) => string;
  gate: CallGate;
}

export type AnyHandler = (input: unknown, ctx: CallContext) => Promise<unknown> | AsyncIterable<unknown>;
/** Any of grpc-js's four server call kinds; each has metadata, a deadline and a "cancelled" event. */
type GrpcCall = ServerUnaryCall<unknown, unknown>;

/** Reads W3C trace context (`traceparent`) from gRPC metadata. */
const metadataGetter = {
  get: (metadata: Metadata, key: string) => {
    const value = metadata.get(key)[0];
    return typeof value === "string" ? value : undefined;
  },
  keys: (metadata: Metadata) => Object.keys(metadata.getMap()),
};

function requestIdOf(metadata: Metadata): string {
  const given = metadata.get(REQUEST_ID_KEY)[0];
  return typeof given === "string" && ACCEPTABLE_REQUEST_ID.test(given) ? given : randomUUID();
}

function deadlineOf(call: GrpcCall): Date | undefined {
  const deadline = call.getDeadline();
  const ms = deadline instanceof Date ? deadline.getTime() : deadline;
  return Number.isFinite(ms) ? new Date(ms) : undefined;
}

/** Why a call was abandoned, as the status the caller (if still listening) gets. */
function abandonedError(signal: AbortSignal): DomainError {
  const timedOut = (signal.reason as Error | undefined)?.name === "TimeoutError";
  const code = timedOut ? GrpcStatus.DEADLINE_EXCEEDED : GrpcStatus.CANCELLED;
  return new DomainError(code, timedOut ? "DEADLINE_EXCEEDED" : "CANCELLED", genericMessages(code));
}

/**
 * Turns an async handler into a grpc-js handler for its method's streaming shape, and wraps every call in what
 * each must have: request id, caller authentication, deadline and cancellation, error mapping and a log line.
 */
export function adaptHandler(
  method: MethodDefinition,
  handler: AnyHandler,
  rule: CallRule,
  env: CallEnvironment,
): UntypedHandleCall {
  // Looked up once per method, so a call only adds to numbers.
  const instruments = grpcServerInstruments(method.path);
  // A Batch… method made by batchOf: its items are admitted and served one by one (see serveBatch).
  const itemHandler = itemHandlerOf(handler);
  return (call: GrpcCall, callback?: sendUnaryData<unknown>) => {
    const respondWith = method.responseStream
      ? (status: StatusObject) => (call as unknown as Writable).emit("error", status)
      : (status: StatusObject) => callback!(status);
    void tracedServeCall(method, rule, itemHandler !== undefined, call, env, instruments, respondWith, async (ctx) => {
      if (itemHandler) {
        callback!(null, await serveBatch(itemHandler, call.request, ctx, env.gate, rule, env.domain));
        return;
      }
      const input = method.requestStream ? (call as unknown as AsyncIterable<unknown>) : call.request;
      const output = handler(input, ctx);
      if (method.responseStream) {
        const stream = call as unknown as Writable;
        for await (const response of output as AsyncIterable<unknown>) {
          ctx.signal.throwIfAborted();
          if (!stream.write(response)) await once(stream, "drain", { signal: ctx.signal });
        }
        stream.end();
      } else {
        callback!(null, await output);
      }
    });
  };
}

type ServeCallArguments = [
  method: MethodDefinition,
  rule: CallRule,
  batch: boolean,
  call: GrpcCall,
  env: CallEnvironment,
  instruments: CallInstruments,
  respondWith: (status: StatusObject) => void,
  work: (ctx: CallContext) => Promise<void>,
];

/** With tracing on, the call is a server span continuing the caller's `traceparent`, active while it runs. */
function tracedServeCall(...args: ServeCallArguments): Promise<void> {
  if (!tracingEnabled()) return serveCall(undefined, ...args);
  const [method, , , call] = args;
  const parent = extractTraceContext(call.metadata, metadataGetter);
  const rpc = method.path.slice(1);
  const slash = rpc.indexOf("/");
  const span = startSpan(rpc, {
    kind: SpanKind.SERVER,
    parent,
    attributes: { "rpc.system": "grpc", "rpc.service": rpc.slice(0, slash), "rpc.method": rpc.slice(slash + 1) },
  })!;
  return runInSpan(span, parent, () => serveCall(span, ...args));
}

async function serveCall(
  span: Span | undefined,
  method: MethodDefinition,
  rule: CallRule,
  batch: boolean,
  call: GrpcCall,
  env: CallEnvironment,
  instruments: CallInstruments,
  respondWith: (status: StatusObject) => void,
  work: (ctx: CallContext) => Promise<void>,
): Promise<void> {
  const startedAt = performance.now();
  const rpc = method.path.slice(1);
  const requestId = requestIdOf(call.metadata);
  const headers = new Metadata();
  headers.set(REQUEST_ID_KEY, requestId);
  call.sendMetadata(headers);

  const deadline = deadlineOf(call);
  const remainingMs = deadline ? deadline.getTime() - Date.now() : Infinity;
  const aborter = new AbortController();
  const onDeadline = () => aborter.abort(new DOMException("The deadline passed", "TimeoutError"));
  // grpc-js ends a call at its deadline itself, which also reports "cancelled"; tell the two apart by the clock
  // (with a little slack, as timers and Date.now() round differently).
  const onCancelled = () =>
    deadline && Date.now() >= deadline.getTime() - DEADLINE_SLACK_MS
      ? onDeadline()
      : aborter.abort(new DOMException("The caller cancelled the call", "AbortError"));
  call.on("cancelled", onCancelled);
  const deadlineTimer = remainingMs <= LONGEST_TIMER_MS ? setTimeout(onDeadline, remainingMs) : undefined;

  // One child logger per call, made once its bindings are known: each pino child serializes its bindings, and
  // three per call (id, then caller, then party) showed in the profiles.
  const bindings: Record<string, unknown> = { requestId, rpc };
  let callLog: Logger | undefined;
  const logOf = () => (callLog ??= env.logger.child(bindings));
  let code = GrpcStatus.OK;
  let reason = "";
  try {
    const caller = env.authenticate(call.metadata, call.getAuthContext().sslPeerCertificate);
    bindings.caller = caller;
    // A client stream's requests are not here yet; the gate then checks caller and party only. A batch's items are
    // admitted one by one when it is served (see serveBatch).
    const { party, channel } = batch
      ? { party: undefined, channel: Channel.CHANNEL_UNSPECIFIED }
      : env.gate.admit(caller, rule, call.metadata, method.requestStream ? undefined : call.request);
    if (party) bindings.party = describeParty(party);
    const log = logOf();
    // Work nobody waits for any more is not started (the caller already has DEADLINE_EXCEEDED).
    if (remainingMs <= 0) onDeadline();
    aborter.signal.throwIfAborted();
    await work({
      requestId,
      caller,
      party,
      channel,
      rpc,
      log,
      deadline,
      signal: aborter.signal,
      metadata: call.metadata,
    });
    // A handler that ignored its signal may finish after the caller gave up; the log should say what it got.
    if (aborter.signal.aborted) ({ code, reason } = abandonedError(aborter.signal));
  } catch (thrown) {
    let error: DomainError;
    if (aborter.signal.aborted) {
      error = abandonedError(aborter.signal);
    } else if (thrown instanceof DomainError) {
      error = thrown;
    } else {
      // The cause stays in our log; the caller learns only that it was our fault.
      logOf().error({ err: thrown }, "unexpected error");
      error = new DomainError(GrpcStatus.INTERNAL, "INTERNAL", genericMessages(GrpcStatus.INTERNAL));
    }
    code = error.code;
    reason = error.reason;
    if (span) failSpan(span, thrown, reason);
    if (code === GrpcStatus.UNAUTHENTICATED || code === GrpcStatus.PERMISSION_DENIED) {
      logOf().warn({ reason: error.reason, ...error.metadata }, "call refused");
    }
    // A cancelled call is already over on the wire; its stream may be destroyed.
    if (!call.cancelled) respondWith(toGrpcStatus(error, env.domain));
  } finally {
    clearTimeout(deadlineTimer);
    call.off("cancelled", onCancelled);
    const durationMs = performance.now() - startedAt;
    const codeName = GrpcStatus[code];
    instruments.record(durationMs / 1000, codeName, reason);
    if (span) {
      span.setAttribute("rpc.grpc.status_code", code);
      span.end();
    }
    // The one info line per call; anything else a call logs on the way is debug (or a warning).
    logOf().info({ code: codeName, durationMs: Math.round(durationMs) }, "rpc finished");
  }
}
