import {
  Server,
  ServerCredentials,
  type ServiceDefinition as GrpcServiceDefinition,
  type UntypedServiceImplementation,
} from "@grpc/grpc-js";
import { ReflectionService } from "@grpc/reflection";
import type { Server as NetServer, Socket } from "node:net";
import { loadTransportSecurity, type CallerKeys, type TransportSecurity } from "@omnihall/config";
import { startAppTelemetry, type TelemetrySettings } from "@omnihall/telemetry";
import { createCallGate } from "./access/call-gate.js";
import { createCallerAuthenticator } from "./caller-auth.js";
import { ServiceHealth } from "./health.js";
import { flushLogger, type Logger } from "./logger.js";
import { loadContract } from "./reflection.js";
import { adaptHandler, type AnyHandler, type CallEnvironment } from "./serve-call.js";
import { serviceNameOf, type ServiceDefinition, type ServiceRegistration } from "./service-definition.js";

const HEALTH_SERVICE = "grpc.health.v1.Health";

/**
 * Turns Nagle's algorithm off on every connection the server accepts. Node's http2 server (unlike its http one)
 * leaves it on, and grpc-js has no option for it, so a response written in more than one piece (headers, then
 * message and trailers) waited for the caller's delayed ACK: the 40 ms stalls of issue 8, with both processes
 * idle. The clients' side already sets it (grpc-js transport). grpc-js keeps its listening http2 servers in a
 * private map (a test fails if a later version moves it). Returns how many listeners it changed.
 */
export function sendWithoutDelay(server: Server): number {
  const listeners = [...((server as unknown as { http2Servers?: Map<NetServer, unknown> }).http2Servers?.keys() ?? [])];
  for (const listener of listeners) {
    listener.prependListener("connection", (socket: Socket) => socket.setNoDelay(true));
  }
  return listeners.length;
}

export interface StartServiceOptions<Definitions extends readonly ServiceDefinition[]> {
  /** The app's name, e.g. "customer" (logs). */
  name: string;
  /** ErrorInfo.domain of every error this service sends, e.g. "customer.omnihall". */
  domain: string;
  /** Interface to bind; default 127.0.0.1. */
  host?: string;
  /** Port to bind; 0 picks a free one (see `RunningService.port`). */
  port: number;
  /** The proto services this app serves, each with one async handler per method. */
  services: { [I in keyof Definitions]: ServiceRegistration<Definitions[I]> };
  /**
   * The callers' keys, by name (config `OMNIHALL_CALLER_KEYS`); what each may call is the services' policies.
   * Health and reflection need no key.
   */
  callers: CallerKeys;
  logger: Logger;
  /** Runs after the last call has finished: close the database pool, drain NATS. */
  onShutdown?: () => Promise<void>;
  /**
   * Mutual TLS: callers must present a certificate from this CA, whose CN must name the caller their key names.
   * Default: from OMNIHALL_TLS_* (see `loadTransportSecurity`), plaintext when unset; null forces plaintext.
   */
  transportSecurity?: TransportSecurity | null;
  /** Longest a client connection lives before it is asked to reconnect (rebalancing); default 5 min. */
  maxConnectionAgeMs?: number;
  /** How long `stop()` waits for in-flight calls before cutting them off; default 10 s. */
  shutdownTimeoutMs?: number;
  /**
   * Metrics port and tracing (pass the app's config: `telemetryEnv()` of @omnihall/config). Without it metrics
   * are served on `port` + 1000 (a free port when `port` is 0) and tracing is off.
   */
  telemetry?: TelemetrySettings;
}

export interface RunningService {
  /** The bound port (useful with port 0). */
  port: number;
  /** host:port to dial. */
  address: string;
  /** Where Prometheus scrapes this service, e.g. http://127.0.0.1:51052/metrics. */
  metricsUrl: string;
  /**
   * Graceful stop: health NOT_SERVING, no new calls, in-flight calls finish (up to the timeout, then they are
   * cut off), then `onShutdown`. Safe to call more than once.
   */
  stop(): Promise<void>;
}

function serverCredentials(given: TransportSecurity | null | undefined): ServerCredentials {
  const security = given === undefined ? loadTransportSecurity() : (given ?? undefined);
  if (!security) return ServerCredentials.createInsecure();
  const requireClientCertificate = true;
  return ServerCredentials.createSsl(
    security.ca,
    [{ cert_chain: security.cert, private_key: security.key }],
    requireClientCertificate,
  );
}

/**
 * Runs a gRPC domain service: the given proto services behind caller authentication, request ids, deadlines and
 * rich errors, plus open gRPC health and server reflection.
 */
export async function startService<const Definitions extends readonly ServiceDefinition[]>(
  options: StartServiceOptions<Definitions>,
): Promise<RunningService> {
  const { logger } = options;
  const host = options.host ?? "127.0.0.1";
  const env: CallEnvironment = {
    domain: options.domain,
    logger,
    authenticate: createCallerAuthenticator(options.callers),
    gate: createCallGate(options.callers),
  };

  const server = new Server({
    // Clients balance calls over every instance they resolved (round_robin), but a connection lives until it
    // breaks: without an age limit, instances added by a scale-up would get no traffic from callers already
    // connected. After the age the server sends GOAWAY, in-flight calls finish within the grace, and the client
    // resolves and reconnects, spreading again.
    "grpc.max_connection_age_ms": options.maxConnectionAgeMs ?? 5 * 60_000,
    "grpc.max_connection_age_grace_ms": 30_000,
  });
  const serviceNames: string[] = [];
  for (const {
    definition,
    handlers,
    policy,
  } of options.services as readonly ServiceRegistration<ServiceDefinition>[]) {
    const serviceName = serviceNameOf(definition);
    const implementation: UntypedServiceImplementation = {};
    for (const [methodName, method] of Object.entries(definition)) {
      const handler = handlers[methodName];
      if (typeof handler !== "function") throw new Error(`${serviceName} has no handler for ${methodName}`);
      // Deny by default: a method nobody wrote a rule for is not served at all.
      const rule = policy[methodName];
      if (!rule) throw new Error(`${serviceName} has no caller policy for ${methodName}`);
      implementation[methodName] = adaptHandler(method, handler as AnyHandler, rule, env);
    }
    server.addService(definition as unknown as GrpcServiceDefinition, implementation);
    serviceNames.push(serviceName);
  }

  const health = new ServiceHealth(server, serviceNames);
  new ReflectionService(await loadContract(), { services: [...serviceNames, HEALTH_SERVICE] }).addToServer(server);

  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync(`${host}:${options.port}`, serverCredentials(options.transportSecurity), (error, boundPort) =>
      error ? reject(error) : resolve(boundPort),
    ),
  );
  sendWithoutDelay(server);
  let telemetry;
  try {
    telemetry = await startAppTelemetry({ name: options.name, host, port: options.port, settings: options.telemetry });
  } catch (error) {
    server.forceShutdown();
    throw error;
  }
  health.serving();
  logger.info({ host, port, metrics: telemetry.metrics.url, services: serviceNames }, `${options.name} serving`);

  let stopping: Promise<void> | undefined;
  const stop = async () => {
    health.stopping();
    logger.info("draining in-flight calls");
    const timeoutMs = options.shutdownTimeoutMs ?? 10_000;
    const drainedInTime = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      server.tryShutdown(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
    if (!drainedInTime) logger.warn({ timeoutMs }, "in-flight calls did not finish in time; cutting them off");
    server.forceShutdown();
    try {
      await options.onShutdown?.();
    } finally {
      // Last, so the metrics of the drain can still be scraped and its spans are exported.
      await telemetry.stop();
    }
    logger.info(`${options.name} stopped`);
    await flushLogger(logger);
  };
  return {
    port,
    address: `${host}:${port}`,
    metricsUrl: telemetry.metrics.url,
    stop: () => (stopping ??= stop()),
  };
}
