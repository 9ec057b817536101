import { z } from "zod";
import { RETENTION_DEFAULT_DAYS } from "@omnihall/bus";
import { databaseUrl, loadConfig, retentionDays, serviceEnv } from "@omnihall/config";

const positiveInt = (fallback: number) => z.coerce.number().int().min(1).default(fallback);

export const catalogConfigSchema = z.object({
  ...serviceEnv(50053),
  /** The catalog service's own database. */
  DATABASE_URL: databaseUrl("postgresql://postgres@127.0.0.1:5432/omnihall_catalog"),
  DATABASE_POOL_SIZE: positiveInt(10),
  /** How long ReserveNumber holds a number for a customer completing the purchase. */
  NUMBER_RESERVATION_TTL_SECONDS: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 3600)
    .default(15 * 60),
  /** Days a request id is remembered (longer than any client retries a request). */
  RETENTION_REQUEST_LOG_DAYS: retentionDays(RETENTION_DEFAULT_DAYS.requestIds),
});

export type CatalogConfig = z.output<typeof catalogConfigSchema>;

/** Reads the catalog service's configuration from the environment; the defaults run on one machine. */
export function loadCatalogConfig(env: Record<string, string | undefined> = process.env): CatalogConfig {
  return loadConfig(catalogConfigSchema, env);
}
