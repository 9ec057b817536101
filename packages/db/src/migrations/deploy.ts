import { databaseNameOf, maintenanceUrl } from "../database-urls.js";
import { ensureDatabase } from "../databases.js";
import { readMigrationList, readSchemaFiles } from "./migration-files.js";
import { NO_FILTERS, withSchemaEngine } from "./schema-engine.js";

export interface MigrateDeployOptions {
  /** schema.prisma, or a folder of .prisma files. */
  schemaPath: string;
  /** prisma/migrations: one `<timestamp>_<name>/migration.sql` per migration. */
  migrationsDir: string;
  /** The database to migrate; it is created when missing. */
  databaseUrl: string;
  /** Where to run CREATE DATABASE; defaults to the `postgres` database of databaseUrl's server. */
  adminUrl?: string;
}

/**
 * Applies the migrations the database has not had yet, with `prisma migrate deploy`'s semantics (Prisma's
 * engine does the work): rows in `_prisma_migrations` with Prisma's checksums, advisory lock 72707369 so
 * concurrent deploys take turns, each migration file in one transaction, and a refusal (P3009) while an earlier
 * migration is marked failed. Returns the names of the migrations it applied, in order.
 */
export async function migrateDeploy(options: MigrateDeployOptions): Promise<string[]> {
  const { schemaPath, migrationsDir, databaseUrl } = options;
  await ensureDatabase(options.adminUrl ?? maintenanceUrl(databaseUrl), databaseNameOf(databaseUrl));
  const [schemaFiles, migrationsList] = await Promise.all([
    readSchemaFiles(schemaPath),
    readMigrationList(migrationsDir),
  ]);
  const { appliedMigrationNames } = await withSchemaEngine({ schemaFiles, databaseUrl }, (engine) =>
    engine.applyMigrations({ migrationsList, filters: NO_FILTERS }),
  );
  return appliedMigrationNames;
}
