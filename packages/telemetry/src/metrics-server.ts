import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { collectProcessMetrics, metricsRegistry, scrapeMetrics } from "./metrics.js";

export interface MetricsServerOptions {
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** 0 picks a free port (tests). */
  port: number;
}

export interface MetricsServer {
  port: number;
  /** Where Prometheus scrapes, e.g. `http://127.0.0.1:51052/metrics`. */
  url: string;
  close(): Promise<void>;
}

/**
 * Serves `GET /metrics` (Prometheus text format) on a port of its own, apart from the app's API: scrapes never
 * queue behind API traffic or pass its authentication, and the port can stay inside the cluster network.
 */
export async function serveMetrics(options: MetricsServerOptions): Promise<MetricsServer> {
  collectProcessMetrics();
  const host = options.host ?? "127.0.0.1";
  const server = createServer((request, response) => {
    if (request.method !== "GET" || request.url?.split("?")[0] !== "/metrics") {
      response.writeHead(404, { "content-type": "text/plain" }).end("Not found: metrics are at /metrics\n");
      return;
    }
    scrapeMetrics().then(
      (text) => response.writeHead(200, { "content-type": metricsRegistry.contentType }).end(text),
      (error: unknown) =>
        response.writeHead(500, { "content-type": "text/plain" }).end(`metrics unavailable: ${String(error)}\n`),
    );
  });
  // Scrapers keep connections open between scrapes; they must not hold up a shutdown.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  return {
    port,
    url: `http://${host.includes(":") ? `[${host}]` : host}:${port}/metrics`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * The metrics port of an app that did not configure one: its API port + 1000 (50052 → 51052, 8080 → 9080), so
 * every app of `npm start` gets its own fixed port, and a free port when the API port is 0 (tests) or too high.
 */
export function defaultMetricsPort(apiPort: number): number {
  return apiPort === 0 || apiPort + 1000 > 65_535 ? 0 : apiPort + 1000;
}
