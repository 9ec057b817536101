import { InMemorySpanExporter, type ReadableSpan } from "@opentelemetry/sdk-trace-base";
import { startTracing } from "./tracing.js";

export type { ReadableSpan };

/**
 * Turns tracing on for this test process with an in-memory exporter: `spans()` returns every span ended so far.
 * Call `stop()` when done (tracing is process-wide, so tests that collect spans should not run concurrently in
 * one file with tests that expect it off).
 */
export function collectSpans(serviceName = "test"): { spans(): ReadableSpan[]; stop(): Promise<void> } {
  const exporter = new InMemorySpanExporter();
  const tracing = startTracing({ serviceName, exporter });
  if (!tracing) throw new Error("tracing could not start");
  return { spans: () => exporter.getFinishedSpans(), stop: () => tracing.stop() };
}
