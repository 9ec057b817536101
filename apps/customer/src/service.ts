import { OutboxRelay, RetentionSweeper, days, type EventBus } from "@omnihall/bus";
import { CustomerServiceService } from "@omnihall/proto/omnihall/customer/v1/customer";
import {
  batchOf,
  createLogger,
  startService,
  type Handler,
  type Logger,
  type RunningService,
  type ServiceHandlers,
} from "@omnihall/service-kit";
import type { CustomerConfig } from "./config.js";
import { createCustomerDb } from "./db.js";
import { CUSTOMER_ERROR_DOMAIN } from "./errors.js";
import type { LoginContext } from "./login/login-context.js";
import { DEFAULT_LOGIN_POLICY, type LoginPolicy } from "./login/login-policy.js";
import { startLogin } from "./login/start-login.js";
import { verifyLogin } from "./login/verify-login.js";
import { customerPolicy } from "./policy.js";
import { getSubscriberInScope, listSubscribersInScope } from "./subscribers/subscriber-scope.js";
import { terminalServiceRegistration } from "./terminals/terminal-service.js";
import { agentServiceRegistration } from "./agents/agent-service.js";
import { operatorServiceRegistration } from "./operators/operator-service.js";
import { terminalRegistry, type HandheldRegistry } from "./agents/handheld-registry.js";
import { registrationServiceRegistration } from "./registration/registration-service.js";

export interface StartCustomerServiceOptions {
  config: CustomerConfig;
  /** Where the outbox relay publishes login-code events. */
  bus: EventBus;
  logger?: Logger;
  /** The time the login rules run on; tests move it to expire codes and lift locks. */
  now?: () => Date;
  loginPolicy?: LoginPolicy;
  /** Which devices are registered handhelds (default: the terminal registry in this database). */
  handhelds?: HandheldRegistry;
  /** After how long without a heartbeat a terminal is SILENT (default 90 s); tests shorten it. */
  terminalSilentAfterMs?: number;
}

export type RunningCustomerService = RunningService;

export function customerHandlers(login: LoginContext): ServiceHandlers<typeof CustomerServiceService> {
  const getSubscriber: Handler<typeof CustomerServiceService.getSubscriber> = (request, ctx) =>
    getSubscriberInScope(login.db, request, ctx);
  return {
    getSubscriber,
    batchGetSubscribers: batchOf(getSubscriber),
    listSubscribers: (request, ctx) => listSubscribersInScope(login.db, request, ctx),
    startLogin: (request, ctx) => startLogin(login, request, ctx),
    verifyLogin: (request) => verifyLogin(login, request),
  };
}

/**
 * Starts the customer service on its own database (migrated beforehand: see customerMigrations): the gRPC
 * server and the outbox relay that publishes its events. stop() drains calls, then stops the relay and the pool.
 */
export async function startCustomerService(options: StartCustomerServiceOptions): Promise<RunningCustomerService> {
  const { config } = options;
  const logger = options.logger ?? createLogger("customer", { level: config.LOG_LEVEL });
  const db = createCustomerDb(config.DATABASE_URL, config.DATABASE_POOL_SIZE);
  const relay = new OutboxRelay({ databaseUrl: config.DATABASE_URL, bus: options.bus, logger });
  // Login attempts and the request-id ledgers past any retry, processed events past any redelivery
  // (RETENTION_<TABLE>_DAYS).
  const retention = new RetentionSweeper({
    databaseUrl: config.DATABASE_URL,
    logger,
    tables: [
      { table: "login_request", column: "created_at", maxAgeMs: days(config.RETENTION_LOGIN_REQUEST_DAYS) },
      { table: "agent_request", column: "created_at", maxAgeMs: days(config.RETENTION_AGENT_REQUEST_DAYS) },
      { table: "operator_request", column: "created_at", maxAgeMs: days(config.RETENTION_OPERATOR_REQUEST_DAYS) },
      {
        table: "subscriber_registration",
        column: "created_at",
        maxAgeMs: days(config.RETENTION_SUBSCRIBER_REGISTRATION_DAYS),
      },
      { table: "processed_message", column: "processed_at", maxAgeMs: days(config.RETENTION_PROCESSED_MESSAGE_DAYS) },
    ],
  });
  const login: LoginContext = {
    db,
    policy: options.loginPolicy ?? DEFAULT_LOGIN_POLICY,
    secret: config.LOGIN_CODE_SECRET,
    notifyPublicKey: config.NOTIFY_PUBLIC_KEY,
    logCodes: config.LOGIN_CODE_LOG,
    now: options.now ?? (() => new Date()),
  };
  const closeAll = async () => {
    await retention.stop();
    await relay.stop();
    await db.$disconnect();
  };
  try {
    await relay.start();
    retention.start();
    const running = await startService({
      name: "customer",
      domain: CUSTOMER_ERROR_DOMAIN,
      host: config.HOST,
      port: config.PORT,
      services: [
        { definition: CustomerServiceService, handlers: customerHandlers(login), policy: customerPolicy },
        agentServiceRegistration({ db, handhelds: options.handhelds ?? terminalRegistry(db), now: login.now }),
        operatorServiceRegistration({ db, now: login.now }),
        registrationServiceRegistration(db),
        terminalServiceRegistration({
          db,
          now: login.now,
          loginCodeSecret: config.LOGIN_CODE_SECRET,
          silentAfterMs: options.terminalSilentAfterMs,
        }),
      ],
      callers: config.OMNIHALL_CALLER_KEYS,
      // METRICS_HOST / METRICS_PORT / OTEL_EXPORTER_OTLP_ENDPOINT of this service's environment.
      telemetry: config,
      logger,
      onShutdown: closeAll,
    });
    return running;
  } catch (error) {
    await closeAll();
    throw error;
  }
}
