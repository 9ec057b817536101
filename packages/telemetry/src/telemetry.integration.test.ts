import Fastify from "fastify";
import { pino } from "pino";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { grpcServerInstruments } from "./call-metrics.js";
import { fastifyTelemetry, quietRequestLogging } from "./fastify-telemetry.js";
import { gauge, onScrape } from "./metrics.js";
import { defaultMetricsPort, serveMetrics } from "./metrics-server.js";
import { collectSpans } from "./testing.js";
import { SpanKind, TRACEPARENT_HEADER, inSpan, traceLogFields, traceLogMixin, withTraceHeaders } from "./tracing.js";

async function scrape(url: string): Promise<string> {
  const response = await fetch(url);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toContain("text/plain");
  return response.text();
}

describe("metrics endpoint", () => {
  it("serves RED series, scrape-time gauges and process metrics on its own port", async () => {
    const server = await serveMetrics({ port: 0 });
    onTestFinished(() => server.close());
    const rpc = grpcServerInstruments("/omnihall.test.v1.MetricsService/GetThing");
    rpc.record(0.0007, "OK");
    rpc.record(0.02, "NOT_FOUND", "THING_NOT_FOUND");
    const depth = gauge({ name: "test_queue_depth", help: "test", labelNames: ["kind"] });
    const stopHook = onScrape(() => depth.set({ kind: "SERVICE" }, 7));
    onTestFinished(stopHook);

    const text = await scrape(server.url);
    const labels = 'grpc_service="omnihall.test.v1.MetricsService",grpc_method="GetThing"';
    expect(text).toContain(`grpc_server_handled_total{${labels},grpc_code="OK"} 1`);
    expect(text).toContain(`grpc_server_handled_total{${labels},grpc_code="NOT_FOUND"} 1`);
    expect(text).toContain(
      `omnihall_grpc_server_errors_total{${labels},grpc_code="NOT_FOUND",reason="THING_NOT_FOUND"} 1`,
    );
    expect(text).toContain(`grpc_server_handling_seconds_bucket{${labels},le="0.001"} 1`);
    expect(text).toContain(`grpc_server_handling_seconds_bucket{${labels},le="0.025"} 2`);
    expect(text).toContain(`grpc_server_handling_seconds_count{${labels}} 2`);
    expect(text).toContain('test_queue_depth{kind="SERVICE"} 7');
    expect(text).toContain("process_cpu_user_seconds_total");
    expect(text).toContain("nodejs_eventloop_lag_p99_seconds");

    expect((await fetch(server.url.replace("/metrics", "/other"))).status).toBe(404);
  });

  it("defaults to the app's port + 1000, and a free port for tests", () => {
    expect(defaultMetricsPort(50052)).toBe(51052);
    expect(defaultMetricsPort(8080)).toBe(9080);
    expect(defaultMetricsPort(0)).toBe(0);
    expect(defaultMetricsPort(65000)).toBe(0);
  });
});

describe("hall requests", () => {
  it("count per route pattern with error reasons, continue the caller's trace and log one line", async () => {
    const collected = collectSpans();
    onTestFinished(() => collected.stop());
    const lines: Array<Record<string, unknown>> = [];
    const logger = pino({ ...traceLogMixin }, { write: (line: string) => lines.push(JSON.parse(line)) });
    const app = Fastify({ loggerInstance: logger, logController: quietRequestLogging() });
    await app.register(fastifyTelemetry);
    app.get("/v1/things/:thingId", async (request, reply) => {
      const { thingId } = request.params as { thingId: string };
      if (thingId === "missing") {
        return reply.code(404).send({ error: { reason: "THING_NOT_FOUND", message: "no" } });
      }
      // The handler runs in the request's span: work it starts is a child, headers it sends carry the trace.
      return inSpan("look up", { kind: SpanKind.CLIENT }, async () => ({
        headers: withTraceHeaders({}),
        log: traceLogFields(),
      }));
    });
    const url = await app.listen({ port: 0, host: "127.0.0.1" });
    onTestFinished(() => app.close());
    const server = await serveMetrics({ port: 0 });
    onTestFinished(() => server.close());

    const callerTrace = "4bf92f3577b34da6a3ce929d0e0e4736";
    const ok = await fetch(`${url}/v1/things/a1`, {
      headers: { [TRACEPARENT_HEADER]: `00-${callerTrace}-00f067aa0ba902b7-01` },
    });
    const body = (await ok.json()) as { headers: Record<string, string>; log: { traceId: string } };
    expect(body.headers[TRACEPARENT_HEADER]).toMatch(new RegExp(`^00-${callerTrace}-[0-9a-f]{16}-01$`));
    expect(body.log.traceId).toBe(callerTrace);
    expect((await fetch(`${url}/v1/things/missing`)).status).toBe(404);
    expect((await fetch(`${url}/nowhere/${Math.random()}`)).status).toBe(404);

    const text = await scrape(server.url);
    expect(text).toContain('http_server_requests_total{method="GET",route="/v1/things/:thingId",status_code="200"} 1');
    expect(text).toContain(
      'omnihall_http_server_errors_total{method="GET",route="/v1/things/:thingId",status_code="404",reason="THING_NOT_FOUND"} 1',
    );
    expect(text).toContain('http_server_request_duration_seconds_count{method="GET",route="/v1/things/:thingId"} 2');
    expect(text).toContain('http_server_requests_total{method="GET",route="unmatched",status_code="404"} 1');

    const spans = collected.spans();
    const serverSpan = spans.find((span) => span.name === "GET /v1/things/:thingId" && span.kind === SpanKind.SERVER);
    const child = spans.find((span) => span.name === "look up");
    expect(serverSpan?.spanContext().traceId).toBe(callerTrace);
    expect(child?.parentSpanContext?.spanId).toBe(serverSpan?.spanContext().spanId);
    expect(serverSpan?.attributes["http.response.status_code"]).toBe(200);

    // The line is written once the answer is out, so it may trail the client's response.
    await vi.waitFor(() => expect(lines.filter((line) => line.msg === "request finished")).toHaveLength(3));
    const access = lines.filter((line) => line.msg === "request finished");
    expect(access[0]).toMatchObject({ route: "/v1/things/:thingId", status: 200, traceId: callerTrace });
    expect(access[1]).toMatchObject({ status: 404, reason: "THING_NOT_FOUND" });
  });
});
