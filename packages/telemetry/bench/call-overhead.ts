/**
 * What the instrumentation costs per unary call: a channel client calling a service (the kit's CustomerService
 * double) in one process, `CONCURRENCY` calls in flight for `BENCH_SECONDS`, printing calls/s and CPU µs per call
 * (client and server together). Run it against the kits as they are, and against a copy of them whose telemetry
 * hooks are no-ops (KITS_DIR, see packages/telemetry/README.md) for the figure without instrumentation;
 * TRACING=on adds tracing with an exporter that drops every span.
 *
 *     npx tsx packages/telemetry/bench/call-overhead.ts
 */
import { fileURLToPath } from "node:url";
import { startTracing } from "../src/index.js";

const kitsDir = process.env.KITS_DIR ?? fileURLToPath(new URL("../../", import.meta.url));
const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const concurrency = Number(process.env.CONCURRENCY ?? 32);

const kit = await import(`${kitsDir}/service-kit/src/index.ts`);
const testing = await import(`${kitsDir}/service-kit/src/testing.ts`);
const channel = await import(`${kitsDir}/channel-client/src/index.ts`);
const { CustomerServiceClient } = await import("@omnihall/proto/omnihall/customer/v1/customer");

const tracing =
  process.env.TRACING === "on"
    ? startTracing({
        serviceName: "bench",
        exporter: { export: (_spans, done) => done({ code: 0 }), shutdown: async () => {} },
      })
    : undefined;

const logger = kit.createLogger("bench", { level: "silent" });
const service = await kit.startService({
  name: "bench",
  domain: testing.TEST_DOMAIN,
  port: 0,
  services: [testing.customerServiceDouble()],
  callers: testing.TEST_CALLERS,
  logger,
});
const client = channel.createServiceClient(CustomerServiceClient, {
  address: service.address,
  caller: "web-hall",
  credential: testing.TEST_CALLERS.get("web-hall"),
});

async function run(durationMs: number, inFlight: number): Promise<{ calls: number; cpuMicros: number; ms: number }> {
  const until = performance.now() + durationMs;
  const cpu = process.cpuUsage();
  const started = performance.now();
  let calls = 0;
  await Promise.all(
    Array.from({ length: inFlight }, async () => {
      while (performance.now() < until) {
        await client.getSubscriber({ msisdn: "13800000001" });
        calls += 1;
      }
    }),
  );
  const used = process.cpuUsage(cpu);
  return { calls, cpuMicros: used.user + used.system, ms: performance.now() - started };
}

await run(1_500, concurrency); // warm-up: JIT, connections
const result = await run(seconds * 1_000, concurrency);
console.log(
  JSON.stringify({
    kits: process.env.KITS_DIR ? "without telemetry" : "instrumented",
    tracing: tracing ? "on (spans dropped)" : "off",
    concurrency,
    callsPerSecond: Math.round((result.calls / result.ms) * 1000),
    cpuMicrosPerCall: Number((result.cpuMicros / result.calls).toFixed(1)),
  }),
);
client.close();
await service.stop();
await tracing?.stop();
