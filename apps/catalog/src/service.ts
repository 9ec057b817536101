import { RetentionSweeper, days, type EventBus } from "@omnihall/bus";
import { CatalogServiceService } from "@omnihall/proto/omnihall/catalog/v1/catalog";
import {
  createLogger,
  startService,
  type Logger,
  type RunningService,
  type ServiceHandlers,
} from "@omnihall/service-kit";
import type { CatalogConfig } from "./config.js";
import { createCatalogDb } from "./db.js";
import type { CatalogDeps } from "./deps.js";
import { checkEligibility } from "./eligibility/check-eligibility.js";
import { consumeReservation } from "./numbers/consume-reservation.js";
import { listAvailableNumbers } from "./numbers/list-available-numbers.js";
import { releaseNumber } from "./numbers/release-number.js";
import { reserveNumber } from "./numbers/reserve-number.js";
import { activateOffering, retireOffering } from "./offerings/change-lifecycle.js";
import { createOffering } from "./offerings/create-offering.js";
import { getOffering } from "./offerings/get-offering.js";
import {
  assertMayChangeLifecycle,
  assertMayCreate,
  assertMayListLifecycle,
  assertMayUpdate,
  hideDraft,
} from "./offerings/offering-access.js";
import { listOfferings } from "./offerings/list-offerings.js";
import { updateOffering } from "./offerings/update-offering.js";
import { catalogPolicy } from "./policy.js";
import { getRoamingDestination } from "./roaming/get-roaming-destination.js";
import { listRoamingDestinations } from "./roaming/list-roaming-destinations.js";

export interface StartCatalogServiceOptions {
  config: CatalogConfig;
  /**
   * The platform's event bus. The catalog publishes and consumes no events yet (an expired number hold frees
   * the number by itself); it takes the bus so every service starts the same way.
   */
  bus?: EventBus;
  logger?: Logger;
}

export type RunningCatalogService = RunningService;

export function catalogHandlers(deps: CatalogDeps): ServiceHandlers<typeof CatalogServiceService> {
  return {
    getOffering: async (request, ctx) => hideDraft(ctx, await getOffering(deps, request)),
    listOfferings: (request, ctx) => {
      assertMayListLifecycle(ctx, request);
      return listOfferings(deps, request);
    },
    createOffering: (request, ctx) => {
      assertMayCreate(ctx, request);
      return createOffering(deps, request);
    },
    updateOffering: async (request, ctx) => {
      await assertMayUpdate(deps.db, ctx, request);
      return updateOffering(deps, request);
    },
    activateOffering: async (request, ctx) => {
      await assertMayChangeLifecycle(deps.db, ctx, request);
      return activateOffering(deps, request);
    },
    retireOffering: async (request, ctx) => {
      await assertMayChangeLifecycle(deps.db, ctx, request);
      return retireOffering(deps, request);
    },
    checkEligibility: (request) => checkEligibility(deps, request),
    getRoamingDestination: (request) => getRoamingDestination(deps, request),
    listRoamingDestinations: (request) => listRoamingDestinations(deps, request),
    listAvailableNumbers: (request) => listAvailableNumbers(deps, request),
    reserveNumber: (request) => reserveNumber(deps, request),
    releaseNumber: (request) => releaseNumber(deps, request),
    consumeReservation: (request) => consumeReservation(deps, request),
  };
}

/** Starts the catalog's gRPC server on its own database (migrated beforehand: see catalogMigrations). */
export async function startCatalogService(options: StartCatalogServiceOptions): Promise<RunningCatalogService> {
  const { config } = options;
  const logger = options.logger ?? createLogger("catalog", { level: config.LOG_LEVEL });
  const db = createCatalogDb(config.DATABASE_URL, config.DATABASE_POOL_SIZE);
  const deps: CatalogDeps = { db, reservationTtlSeconds: config.NUMBER_RESERVATION_TTL_SECONDS };
  // The request-id ledger, past any client's retry (RETENTION_REQUEST_LOG_DAYS).
  const retention = new RetentionSweeper({
    databaseUrl: config.DATABASE_URL,
    logger,
    tables: [{ table: "request_log", column: "created_at", maxAgeMs: days(config.RETENTION_REQUEST_LOG_DAYS) }],
  });
  retention.start();
  try {
    const running = await startService({
      name: "catalog",
      domain: "catalog.omnihall",
      host: config.HOST,
      port: config.PORT,
      services: [{ definition: CatalogServiceService, handlers: catalogHandlers(deps), policy: catalogPolicy }],
      callers: config.OMNIHALL_CALLER_KEYS,
      // METRICS_HOST / METRICS_PORT / OTEL_EXPORTER_OTLP_ENDPOINT of this service's environment.
      telemetry: config,
      logger,
      onShutdown: async () => {
        await retention.stop();
        await db.$disconnect();
      },
    });
    return running;
  } catch (error) {
    await retention.stop();
    await db.$disconnect();
    throw error;
  }
}
