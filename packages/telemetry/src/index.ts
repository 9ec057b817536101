export {
  LATENCY_BUCKETS,
  collectProcessMetrics,
  counter,
  gauge,
  histogram,
  metricsRegistry,
  onScrape,
  scrapeMetrics,
  type ScrapeHook,
} from "./metrics.js";
export { CounterCell, CounterFamily, HistogramCell, HistogramFamily, counterFamily, histogramFamily } from "./cells.js";
export {
  grpcClientInstruments,
  grpcServerInstruments,
  httpRouteInstruments,
  rpcLabels,
  type CallInstruments,
} from "./call-metrics.js";
export { defaultMetricsPort, serveMetrics, type MetricsServer, type MetricsServerOptions } from "./metrics-server.js";
export {
  SpanKind,
  SpanStatusCode,
  TRACEPARENT_HEADER,
  contextOf,
  extractTraceContext,
  failSpan,
  inSpan,
  injectTraceContext,
  recordGetter,
  recordSetter,
  runInSpan,
  startSpan,
  startTracing,
  traceLogFields,
  traceLogMixin,
  tracingEnabled,
  withTraceHeaders,
  type Attributes,
  type Context,
  type Span,
  type SpanOptions,
  type Tracing,
  type TracingOptions,
} from "./tracing.js";
export { fastifyTelemetry, quietRequestLogging, type FastifyTelemetryOptions } from "./fastify-telemetry.js";
export { startAppTelemetry, type AppTelemetry, type TelemetrySettings } from "./app-telemetry.js";
