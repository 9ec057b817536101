import { CustomerServiceClient } from "@omnihall/proto/omnihall/customer/v1/customer";
import { startService } from "@omnihall/service-kit";
import { captureLogs, customerServiceDouble, TEST_CALLERS, TEST_DOMAIN } from "@omnihall/service-kit/testing";
import { SpanKind, inSpan } from "@omnihall/telemetry";
import { collectSpans } from "@omnihall/telemetry/testing";
import { describe, expect, it, onTestFinished } from "vitest";
import { createServiceClient } from "./index.js";

async function customerService() {
  const logs = captureLogs("service");
  const service = await startService({
    name: "test",
    domain: TEST_DOMAIN,
    port: 0,
    services: [customerServiceDouble()],
    callers: TEST_CALLERS,
    logger: logs.logger,
  });
  onTestFinished(service.stop);
  const client = createServiceClient(CustomerServiceClient, {
    address: service.address,
    caller: "web-hall",
    credential: TEST_CALLERS.get("web-hall")!,
  });
  onTestFinished(() => client.close());
  return { service, client, logs: logs.entries };
}

const GET_SUBSCRIBER = 'grpc_service="omnihall.customer.v1.CustomerService",grpc_method="GetSubscriber"';

/** The value of one series in a scrape, 0 when it is not there yet. */
function valueOf(scrape: string, series: string): number {
  const line = scrape.split("\n").find((candidate) => candidate.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe("calls are measured and traced on both ends", () => {
  it("count RED series per RPC on the service's metrics port, and per caller on the client", async () => {
    const { service, client } = await customerService();
    const scrape = async () => (await fetch(service.metricsUrl)).text();
    const before = await scrape();

    await client.getSubscriber({ msisdn: "13800000001" });
    await client.getSubscriber({ msisdn: "13800000002" });
    await expect(client.getSubscriber({ msisdn: "13899999999" })).rejects.toMatchObject({
      reason: "SUBSCRIBER_NOT_FOUND",
    });
    const after = await scrape();

    const grown = (series: string) => valueOf(after, series) - valueOf(before, series);
    expect(grown(`grpc_server_handled_total{${GET_SUBSCRIBER},grpc_code="OK"}`)).toBe(2);
    expect(grown(`grpc_server_handled_total{${GET_SUBSCRIBER},grpc_code="NOT_FOUND"}`)).toBe(1);
    expect(
      grown(`omnihall_grpc_server_errors_total{${GET_SUBSCRIBER},grpc_code="NOT_FOUND",reason="SUBSCRIBER_NOT_FOUND"}`),
    ).toBe(1);
    expect(grown(`grpc_server_handling_seconds_count{${GET_SUBSCRIBER}}`)).toBe(3);
    expect(grown(`grpc_client_handled_total{caller="web-hall",${GET_SUBSCRIBER},grpc_code="OK"}`)).toBe(2);
    expect(
      grown(
        `omnihall_grpc_client_errors_total{caller="web-hall",${GET_SUBSCRIBER},grpc_code="NOT_FOUND",reason="SUBSCRIBER_NOT_FOUND"}`,
      ),
    ).toBe(1);
  });

  it("carry the caller's trace to the service in traceparent; the service's log lines carry its id", async () => {
    const collected = collectSpans();
    onTestFinished(() => collected.stop());
    const { client, logs } = await customerService();

    await inSpan("GET /v1/me", { kind: SpanKind.SERVER }, () =>
      client.getSubscriber({ msisdn: "13800000001" }, { requestId: "traced-1" }),
    );

    const spans = collected.spans();
    const root = spans.find((span) => span.name === "GET /v1/me")!;
    const clientSpan = spans.find((span) => span.kind === SpanKind.CLIENT)!;
    const serverSpan = spans.find((span) => span.kind === SpanKind.SERVER && span !== root)!;
    const traceId = root.spanContext().traceId;
    expect(clientSpan.name).toBe("omnihall.customer.v1.CustomerService/GetSubscriber");
    expect(clientSpan.parentSpanContext?.spanId).toBe(root.spanContext().spanId);
    expect(serverSpan.spanContext().traceId).toBe(traceId);
    expect(serverSpan.parentSpanContext?.spanId).toBe(clientSpan.spanContext().spanId);
    expect(serverSpan.attributes["rpc.grpc.status_code"]).toBe(0);
    expect(logs.find((line) => line.requestId === "traced-1" && line.msg === "rpc finished")).toMatchObject({
      traceId,
      spanId: serverSpan.spanContext().spanId,
    });
  });
});
