import {
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  context,
  trace,
  type Attributes,
  type Context,
  type Span,
  type TextMapGetter,
  type TextMapSetter,
} from "@opentelemetry/api";
import { AsyncLocalStorageContextManager } from "@opentelemetry/context-async-hooks";
import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { resourceFromAttributes } from "@opentelemetry/resources";
import {
  BasicTracerProvider,
  BatchSpanProcessor,
  SimpleSpanProcessor,
  type SpanExporter,
} from "@opentelemetry/sdk-trace-base";

export { SpanKind, SpanStatusCode, type Span, type Context, type Attributes };

/** W3C trace context: `traceparent` (and `tracestate`), in gRPC metadata, HTTP, outbox rows and NATS headers. */
export const TRACEPARENT_HEADER = "traceparent";

const propagator = new W3CTraceContextPropagator();
const tracer = trace.getTracer("omnihall");

/**
 * Whether this process records spans. Off (the default), every kit skips span work altogether: no context is
 * created or carried, so the only cost is reading this flag.
 */
let enabled = false;

export function tracingEnabled(): boolean {
  return enabled;
}

export interface TracingOptions {
  /** `service.name` of the spans (the app, e.g. "billing"). */
  serviceName: string;
  /** OTLP/HTTP collector base URL (`OTEL_EXPORTER_OTLP_ENDPOINT`, e.g. http://otel-collector:4318). */
  otlpEndpoint?: string;
  /** Instead of OTLP: where spans go (tests use an InMemorySpanExporter). Exported one by one, at once. */
  exporter?: SpanExporter;
}

export interface Tracing {
  /** Exports what is still buffered and turns tracing off. */
  stop(): Promise<void>;
}

let running: { provider: BasicTracerProvider; users: number } | undefined;

/**
 * Turns tracing on for this process when an OTLP endpoint (or an exporter) is given; otherwise does nothing and
 * returns undefined. The first app of a process to call it sets it up, later ones share it (the `npm start`
 * platform runs every app in one process; its spans carry the first app's service name, and each span names
 * what it served); it ends when the last of them stops.
 */
export function startTracing(options: TracingOptions): Tracing | undefined {
  if (running) return share(running);
  const exporter =
    options.exporter ??
    (options.otlpEndpoint
      ? new OTLPTraceExporter({ url: `${options.otlpEndpoint.replace(/\/+$/, "")}/v1/traces` })
      : undefined);
  if (!exporter) return undefined;
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ "service.name": options.serviceName }),
    // Batching keeps the export off the request path; a test wants its spans the moment they end.
    spanProcessors: [options.exporter ? new SimpleSpanProcessor(exporter) : new BatchSpanProcessor(exporter)],
  });
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  trace.setGlobalTracerProvider(provider);
  running = { provider, users: 0 };
  enabled = true;
  return share(running);
}

function share(tracing: NonNullable<typeof running>): Tracing {
  tracing.users += 1;
  let stopped = false;
  return {
    async stop() {
      if (stopped) return;
      stopped = true;
      tracing.users -= 1;
      if (tracing.users > 0 || running !== tracing) return;
      enabled = false;
      running = undefined;
      await tracing.provider.shutdown();
      trace.disable();
      context.disable();
    },
  };
}

/** Reads a carrier's trace context (`traceparent`) into a parent context; ROOT_CONTEXT when there is none. */
export function extractTraceContext<C>(carrier: C, getter: TextMapGetter<C>): Context {
  return propagator.extract(ROOT_CONTEXT, carrier, getter);
}

/** Writes the trace context of `ctx` (default: the active one) into a carrier. */
export function injectTraceContext<C>(carrier: C, setter: TextMapSetter<C>, ctx: Context = context.active()): void {
  propagator.inject(ctx, carrier, setter);
}

/** A plain string record, as outbox rows and NATS application headers are. */
export const recordGetter: TextMapGetter<Record<string, string | undefined>> = {
  get: (carrier, key) => carrier[key],
  keys: (carrier) => Object.keys(carrier),
};
export const recordSetter: TextMapSetter<Record<string, string>> = {
  set: (carrier, key, value) => {
    carrier[key] = value;
  },
};

/** Adds the active span's `traceparent` to a header record (unchanged when tracing is off or no span is active). */
export function withTraceHeaders(headers: Record<string, string>): Record<string, string> {
  if (!enabled || !trace.getSpan(context.active())) return headers;
  const carried = { ...headers };
  injectTraceContext(carried, recordSetter);
  return carried;
}

export interface SpanOptions {
  kind?: SpanKind;
  /** The parent: by default the active context (a span started inside another's work is its child). */
  parent?: Context;
  attributes?: Attributes;
}

/**
 * Runs `work` inside a new span (its context active for everything `work` awaits) and ends it when `work`
 * settles; a thrown error marks the span failed and is rethrown. With tracing off it just runs `work`.
 */
export function inSpan<T>(
  name: string,
  options: SpanOptions,
  work: (span: Span | undefined) => Promise<T>,
): Promise<T> {
  if (!enabled) return work(undefined);
  const parent = options.parent ?? context.active();
  const span = tracer.startSpan(name, { kind: options.kind, attributes: options.attributes }, parent);
  return context.with(trace.setSpan(parent, span), async () => {
    try {
      return await work(span);
    } catch (error) {
      failSpan(span, error);
      throw error;
    } finally {
      span.end();
    }
  });
}

/** Starts a span without making it active (for callbacks that end it elsewhere, like a client call). */
export function startSpan(name: string, options: SpanOptions): Span | undefined {
  if (!enabled) return undefined;
  return tracer.startSpan(
    name,
    { kind: options.kind, attributes: options.attributes },
    options.parent ?? context.active(),
  );
}

/** The context in which `span` is the active span (to inject it into outgoing headers). */
export function contextOf(span: Span, parent: Context = context.active()): Context {
  return trace.setSpan(parent, span);
}

/** Runs `work` with `span` active (child of `parent`), for code that ends the span itself. */
export function runInSpan<T>(span: Span, parent: Context, work: () => T): T {
  return context.with(trace.setSpan(parent, span), work);
}

/** Marks a span failed with the error's message (and, when it has one, its stable reason). */
export function failSpan(span: Span, error: unknown, reason?: string): void {
  const message = error instanceof Error ? error.message : String(error);
  span.setStatus({ code: SpanStatusCode.ERROR, message: reason ? `${reason}: ${message}` : message });
  if (error instanceof Error) span.recordException(error);
}

const NO_TRACE: { traceId?: string; spanId?: string } = Object.freeze({});

/** The active trace and span ids (a shared empty object when tracing is off or no span is active). */
export function traceLogFields(): { traceId?: string; spanId?: string } {
  if (!enabled) return NO_TRACE;
  const span = trace.getSpan(context.active());
  if (!span) return NO_TRACE;
  const { traceId, spanId } = span.spanContext();
  return { traceId, spanId };
}

/**
 * pino options that put the active trace and span ids on every log line, so a line leads to its trace and a
 * trace to its lines. With tracing off a line costs one flag check and nothing is merged.
 */
export const traceLogMixin = {
  mixin: traceLogFields,
  // pino's default merge writes into the mixin's object, which must then be fresh per line; this one merges
  // only when there is something to add.
  mixinMergeStrategy: (mergeObject: object, mixinObject: object): object =>
    mixinObject === NO_TRACE ? mergeObject : Object.assign(mixinObject, mergeObject),
};
