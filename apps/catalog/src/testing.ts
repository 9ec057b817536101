import { createServiceClient, type ServiceClient } from "@omnihall/channel-client";
import { developmentCallerKey } from "@omnihall/config";
import { migratedTestDatabase } from "@omnihall/db/testing";
import { CatalogServiceClient, type CatalogServiceService } from "@omnihall/proto/omnihall/catalog/v1/catalog";
import { onTestFinished } from "vitest";
import { loadCatalogConfig, seedCatalog, startCatalogService } from "./index.js";

export interface TestCatalog {
  /** A client calling as `caller` (default "orders"; "platform" to author offerings). */
  client: ServiceClient<typeof CatalogServiceService>;
  address: string;
  databaseUrl: string;
}

/**
 * A real catalog service for one test: its own freshly migrated database (seeded with the demo catalog unless
 * `seed: false`), a gRPC server on a free port, and a client. All of it is stopped and dropped when the test
 * ends. Other services' tests may use it to talk to a real catalog.
 */
export async function startTestCatalog(
  options: { seed?: boolean; reservationTtlSeconds?: number; caller?: string } = {},
): Promise<TestCatalog> {
  const database = await migratedTestDatabase(new URL("..", import.meta.url), { keep: true });
  if (options.seed ?? true) await seedCatalog(database.url);
  const config = loadCatalogConfig({
    DATABASE_URL: database.url,
    PORT: "0",
    LOG_LEVEL: "silent",
    DATABASE_POOL_SIZE: "25",
    NUMBER_RESERVATION_TTL_SECONDS: String(options.reservationTtlSeconds ?? 900),
  });
  const service = await startCatalogService({ config });
  const caller = options.caller ?? "orders";
  const client = createServiceClient(CatalogServiceClient, {
    address: service.address,
    caller,
    credential: developmentCallerKey(caller),
    defaultDeadlineMs: 20_000,
  });
  onTestFinished(async () => {
    client.close();
    await service.stop();
    await database.drop();
  });
  return { client, address: service.address, databaseUrl: database.url };
}
