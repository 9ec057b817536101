import { context, type Context, type Span } from "@opentelemetry/api";
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest, RouteHandlerMethod } from "fastify";
import { LogController } from "fastify";
import fastifyPlugin from "fastify-plugin";
import { httpRouteInstruments, type CallInstruments } from "./call-metrics.js";
import {
  SpanKind,
  contextOf,
  extractTraceContext,
  failSpan,
  startSpan,
  tracingEnabled,
  type Attributes,
} from "./tracing.js";

export interface FastifyTelemetryOptions {
  /**
   * Log one info line per request when it is answered (method, route, status, duration, reason, trace id). Give
   * the app `logController: quietRequestLogging()` so fastify's own two lines per request are not written too.
   * Default true.
   */
  accessLog?: boolean;
}

interface RequestTelemetry {
  span: Span | undefined;
  context: Context | undefined;
  reason: string;
}

declare module "fastify" {
  interface FastifyContextConfig {
    /** Set by the telemetry plugin on every route registered after it. */
    omnihallInstruments?: CallInstruments;
  }
  interface FastifyRequest {
    omnihallTelemetry: RequestTelemetry | null;
  }
}

const headerGetter = {
  get: (headers: FastifyRequest["headers"], key: string) => {
    const value = headers[key];
    return Array.isArray(value) ? value[0] : value;
  },
  keys: (headers: FastifyRequest["headers"]) => Object.keys(headers),
};

// Error bodies are `{"error":{"reason":"STABLE_REASON",…}}`; only answers ≥ 400 are looked at.
const REASON = /"reason"\s*:\s*"([A-Z0-9_]{1,64})"/;

/**
 * RED per route (count by status, errors by reason, latency histogram), a server span per request continuing
 * the caller's `traceparent` (so the hall's domain calls are its children), and one access line. Register it
 * before the routes: it instruments each route as it is added, so a request costs no lookups.
 */
const telemetryPlugin: FastifyPluginAsync<FastifyTelemetryOptions> = async (app, options) => {
  const accessLog = options.accessLog ?? true;
  const unmatched = new Map<string, CallInstruments>();
  app.decorateRequest("omnihallTelemetry", null);

  app.addHook("onRoute", (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    // One instrument set per route pattern; a route with several methods shares it under the first.
    route.config = { ...route.config, omnihallInstruments: httpRouteInstruments(methods.join(","), route.url) };
    const handler = route.handler as RouteHandlerMethod;
    // The span's context has to be active while the handler runs, so its domain calls become children.
    route.handler = function tracedHandler(this: FastifyInstance, request: FastifyRequest, reply: FastifyReply) {
      const active = request.omnihallTelemetry?.context;
      return active ? context.with(active, handler, this, request, reply) : handler.call(this, request, reply);
    } as RouteHandlerMethod;
  });

  // Callback-style hooks: no promise per request for what is, with tracing off, a flag check.
  app.addHook("onRequest", (request, _reply, done) => {
    if (!tracingEnabled()) return done();
    const route = request.routeOptions.url ?? "unmatched";
    const attributes: Attributes = {
      "http.request.method": request.method,
      "http.route": route,
      "url.path": request.url.split("?")[0],
    };
    const parent = extractTraceContext(request.headers, headerGetter);
    const span = startSpan(`${request.method} ${route}`, { kind: SpanKind.SERVER, parent, attributes });
    request.omnihallTelemetry = { span, context: span && contextOf(span, parent), reason: "" };
    done();
  });

  app.addHook("onSend", (request, reply, payload, done) => {
    if (reply.statusCode < 400 || typeof payload !== "string") return done(null, payload);
    const reason = REASON.exec(payload)?.[1] ?? "";
    if (request.omnihallTelemetry) request.omnihallTelemetry.reason = reason;
    else request.omnihallTelemetry = { span: undefined, context: undefined, reason };
    done(null, payload);
  });

  app.addHook("onResponse", (request, reply, done) => {
    const status = reply.statusCode;
    const telemetry = request.omnihallTelemetry;
    const reason = telemetry?.reason ?? "";
    let instruments = request.routeOptions.config.omnihallInstruments;
    if (!instruments) {
      // 404s and routes registered before the plugin: keyed by method only, so unknown URLs add no series.
      instruments = unmatched.get(request.method) ?? httpRouteInstruments(request.method, "unmatched");
      unmatched.set(request.method, instruments);
    }
    instruments.record(reply.elapsedTime / 1000, String(status), reason);
    const span = telemetry?.span;
    if (span) {
      span.setAttribute("http.response.status_code", status);
      if (status >= 500) failSpan(span, new Error(`HTTP ${status}`), reason || undefined);
      span.end();
    }
    if (accessLog) {
      request.log.info(
        {
          method: request.method,
          route: request.routeOptions.url,
          status,
          durationMs: Math.round(reply.elapsedTime),
          ...(reason ? { reason } : {}),
          // onResponse runs outside the span's context, so the log mixin cannot see it.
          ...(span ? { traceId: span.spanContext().traceId } : {}),
        },
        "request finished",
      );
    }
    done();
  });
};

/** The hall telemetry plugin (see `telemetryPlugin`); registered once on the hall's root instance. */
export const fastifyTelemetry = fastifyPlugin(telemetryPlugin, { name: "omnihall-telemetry", fastify: "5.x" });

/**
 * For `Fastify({ logController })`: no "incoming request" / "request completed" lines of fastify's own, since the
 * telemetry plugin writes the one access line (and the hall's error handler logs the errors it handles).
 */
export function quietRequestLogging(options: { requestIdLogLabel?: string } = {}): LogController {
  // A logController replaces fastify's top-level logging options, so the request id's label travels with it.
  return new LogController({ disableRequestLogging: true, requestIdLogLabel: options.requestIdLogLabel });
}
