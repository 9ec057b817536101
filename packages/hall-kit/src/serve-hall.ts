import { mkdirSync, writeFileSync } from "node:fs";
import { flushLogger, type Logger } from "@omnihall/service-kit";
import { startAppTelemetry, type TelemetrySettings } from "@omnihall/telemetry";
import type { FastifyInstance } from "fastify";

export interface RunningHall {
  url: string;
  metricsUrl: string;
  logger: Logger;
  stop(): Promise<void>;
}

/**
 * Puts a built hall on the air the way every hall runs: listens, starts its metrics endpoint and tracing beside
 * it, and stops in the one safe order — in-flight requests finish first, then `release` drops what they used
 * (domain connections, device links), then telemetry, then the buffered log lines.
 */
export async function serveHall(options: {
  /** The app's name, e.g. "web-hall" (metrics and span names). */
  name: string;
  app: FastifyInstance;
  config: TelemetrySettings & { HOST: string; PORT: number };
  logger: Logger;
  release(): void | Promise<void>;
}): Promise<RunningHall> {
  const { app, config, logger } = options;
  await app.listen({ host: config.HOST, port: config.PORT });
  const { port } = app.server.address() as { port: number };
  const telemetry = await startAppTelemetry({
    name: options.name,
    host: config.HOST,
    port: config.PORT,
    settings: config,
  });
  return {
    logger,
    url: `http://${config.HOST}:${port}`,
    metricsUrl: telemetry.metrics.url,
    async stop() {
      await app.close();
      await options.release();
      await telemetry.stop();
      await flushLogger(logger);
    },
  };
}

/**
 * Writes a built (never listening) hall's OpenAPI document to `<outDir>/openapi.json`, which the turbo `generate`
 * task turns into the hall page's typed client (openapi-typescript); then closes the app and `release`s it.
 */
export async function writeOpenApiDocument(
  app: FastifyInstance,
  outDir: URL,
  release: () => void | Promise<void>,
): Promise<void> {
  await app.ready();
  mkdirSync(outDir, { recursive: true });
  writeFileSync(new URL("openapi.json", outDir), JSON.stringify(app.swagger(), null, 2) + "\n");
  await app.close();
  await release();
}
