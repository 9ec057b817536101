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

/**
 * A service's `main.ts` run as `node dist/main.js migrate` applies the service's migrations and says which, instead
 * of starting the service: a deployment's init container or release step (infra/k8s). Returns whether it did, so
 * the caller exits instead of serving.
 */
export async function migrateWhenAsked(
  options: MigrateDeployOptions,
  argv: readonly string[] = process.argv,
): Promise<boolean> {
  if (argv[2] !== "migrate") return false;
  const applied = await migrateDeploy(options);
  // eslint-disable-next-line no-console -- the migrate command's own answer, like the migrate CLI's
  console.log(applied.length > 0 ? `applied migrations: ${applied.join(", ")}` : "no migrations to apply");
  return true;
}
