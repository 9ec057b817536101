import path from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_BASE_URL, serviceDatabaseUrl } from "./database-urls.js";

/** The part of Prisma's `PrismaConfig` we set; Prisma's config loader accepts the plain object. */
export interface ServicePrismaConfig {
  schema: string;
  migrations: { path: string };
  datasource: { url: string };
}

const SCHEMA_ENGINE_STUB = fileURLToPath(new URL("../bin/schema-engine-stub", import.meta.url));

/**
 * The whole of a service's prisma.config.ts: `export default servicePrismaConfig(import.meta.url);`
 *
 * The service is the folder holding prisma.config.ts (apps/<service>); its schema is prisma/schema.prisma, its
 * migrations prisma/migrations, its database `omnihall_<service>` on DATABASE_URL's server. Prisma's CLI loads
 * this file before it looks for its native schema engine, so pointing PRISMA_SCHEMA_ENGINE_BINARY at a stub here
 * lets `prisma generate` run without the download, which cannot succeed here.
 */
export function servicePrismaConfig(configFileUrl: string): ServicePrismaConfig {
  process.env.PRISMA_SCHEMA_ENGINE_BINARY ??= SCHEMA_ENGINE_STUB;
  const serviceDir = path.dirname(fileURLToPath(configFileUrl));
  return {
    schema: path.join(serviceDir, "prisma", "schema.prisma"),
    migrations: { path: path.join(serviceDir, "prisma", "migrations") },
    datasource: { url: serviceDatabaseUrl(process.env.DATABASE_URL ?? DEFAULT_BASE_URL, path.basename(serviceDir)) },
  };
}
