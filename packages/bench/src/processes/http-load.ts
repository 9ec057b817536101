/**
 * HTTP load in its own process (so the load generator does not share a CPU budget with what it measures):
 * autocannon against one URL, cycling through the given requests. Reads its settings as JSON from the file named
 * by argv[2]; prints the figures as one JSON line.
 */
import type { EventEmitter } from "node:events";
import { readFile } from "node:fs/promises";
import autocannon from "autocannon";

export interface HttpLoadSettings {
  url: string;
  connections: number;
  durationS: number;
  /** Requests to cycle through (path and headers); each connection takes the next one. */
  requests: Array<{ path: string; headers?: Record<string, string> }>;
}

export interface HttpLoadFigures {
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  requests: number;
}

const settings = JSON.parse(await readFile(process.argv[2]!, "utf8")) as HttpLoadSettings;
let next = 0;
const latencies: number[] = [];
const run = autocannon({
  url: settings.url,
  connections: settings.connections,
  duration: settings.durationS,
  requests: [
    {
      setupRequest: (request) => {
        const chosen = settings.requests[next++ % settings.requests.length]!;
        return { ...request, method: "GET", path: chosen.path, headers: { ...request.headers, ...chosen.headers } };
      },
    },
  ],
});
// autocannon's own percentiles are whole milliseconds; a sub-millisecond target needs the exact times. (The
// promise is also the run's event emitter; its events carry the client first, unlike the published types say.)
(run as unknown as EventEmitter).on(
  "response",
  (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
    if (statusCode < 300) latencies.push(responseTime);
  },
);
const result = await run;
latencies.sort((a, b) => a - b);
const percentile = (p: number) => latencies[Math.min(latencies.length - 1, Math.floor(latencies.length * p))] ?? NaN;
const figures: HttpLoadFigures = {
  requestsPerSecond: result.requests.average,
  p50Ms: percentile(0.5),
  p99Ms: percentile(0.99),
  errors: result.errors + result.non2xx + result.timeouts,
  requests: result.requests.total,
};
process.stdout.write(`${JSON.stringify(figures)}\n`);
