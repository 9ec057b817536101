import { defaultMetricsPort, serveMetrics, type MetricsServer } from "./metrics-server.js";
import { startTracing, type Tracing } from "./tracing.js";

/** The telemetry settings of an app's configuration (`telemetryEnv()` of @omnihall/config); all optional. */
export interface TelemetrySettings {
  /** Interface of the metrics port; default: the app's own HOST. */
  METRICS_HOST?: string;
  /** The metrics port; default: the app's port + 1000 (a free one when the app's port is 0). */
  METRICS_PORT?: number;
  /** OTLP/HTTP collector (e.g. http://otel-collector:4318); traces are off without it. */
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;
}

export interface AppTelemetry {
  /** The running metrics endpoint. */
  metrics: MetricsServer;
  /** Closes the metrics port and exports the spans still buffered. */
  stop(): Promise<void>;
}

/**
 * What every service and hall runs beside its API: the Prometheus endpoint on its own port and, when a collector
 * is configured, tracing. The service kit calls it in `startService`; a hall calls it when it starts listening.
 */
export async function startAppTelemetry(options: {
  /** The app, e.g. "billing" or "web-hall" (`service.name` of its spans). */
  name: string;
  /** The app's own interface and port (the metrics port defaults from them). */
  host: string;
  port: number;
  settings?: TelemetrySettings;
}): Promise<AppTelemetry> {
  const settings = options.settings ?? {};
  const tracing: Tracing | undefined = startTracing({
    serviceName: options.name,
    otlpEndpoint: settings.OTEL_EXPORTER_OTLP_ENDPOINT,
  });
  let metrics: MetricsServer;
  try {
    metrics = await serveMetrics({
      host: settings.METRICS_HOST ?? options.host,
      port: settings.METRICS_PORT ?? defaultMetricsPort(options.port),
    });
  } catch (error) {
    await tracing?.stop();
    throw error;
  }
  return {
    metrics,
    async stop() {
      await metrics.close();
      await tracing?.stop();
    },
  };
}
