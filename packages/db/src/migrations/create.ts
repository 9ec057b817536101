import path from "node:path";
import type { MigrationList } from "@prisma/schema-engine-wasm";
import { readMigrationList, readSchemaFiles, writeMigration, type SchemaFile } from "./migration-files.js";
import { NO_FILTERS, withSchemaEngine } from "./schema-engine.js";

export interface CreateMigrationOptions {
  schemaPath: string;
  migrationsDir: string;
  /** What the migration does, in snake_case: `add_invoices`. */
  name: string;
  /** Admin URL of a server on which a throwaway shadow database may be created and dropped. */
  adminUrl: string;
  /** The migration folder's timestamp; defaults to now (UTC), as Prisma names them. */
  now?: Date;
}

export interface CreatedMigration {
  /** `<yyyyMMddHHmmss>_<name>`. */
  name: string;
  directory: string;
  script: string;
}

/**
 * Writes the next migration: the SQL that takes a database from what the existing migrations build (replayed on
 * a shadow database) to what the schema describes. Returns undefined, writing nothing, when there is no change.
 */
export async function createMigration(options: CreateMigrationOptions): Promise<CreatedMigration | undefined> {
  if (!/^[a-z0-9_]+$/.test(options.name)) {
    throw new Error(`Name migrations in snake_case (a-z, 0-9, _): "${options.name}"`);
  }
  const [schemaFiles, migrationsList] = await Promise.all([
    readSchemaFiles(options.schemaPath),
    readMigrationList(options.migrationsDir),
  ]);
  const script = await diffMigrationsToSchema({ schemaFiles, migrationsList, adminUrl: options.adminUrl });
  if (script === undefined) return undefined;
  const name = `${migrationTimestamp(options.now ?? new Date())}_${options.name}`;
  const taken = migrationsList.migrationDirectories.at(-1)?.path;
  if (taken !== undefined && taken >= name) {
    throw new Error(`A new migration must sort after the last one (${taken}); "${name}" does not`);
  }
  const directory = await writeMigration(options.migrationsDir, name, script);
  return { name, directory: path.resolve(directory), script };
}

/**
 * The SQL from the database the migrations build to the one the schema describes, or undefined when they match.
 * The WASM engine's own createMigration cannot reach a shadow database through a driver adapter; its diff can.
 */
export async function diffMigrationsToSchema({
  schemaFiles,
  migrationsList,
  adminUrl,
}: {
  schemaFiles: SchemaFile[];
  migrationsList: MigrationList;
  adminUrl: string;
}): Promise<string | undefined> {
  const { exitCode, stdout } = await withSchemaEngine({ schemaFiles, databaseUrl: adminUrl }, (engine) =>
    engine.diff({
      from: { tag: "migrations", ...migrationsList },
      to: { tag: "schemaDatamodel", files: schemaFiles },
      script: true,
      exitCode: true,
      filters: NO_FILTERS,
    }),
  );
  // With exitCode requested the engine answers 2 for a non-empty diff, 0 for none.
  return exitCode === 2 && stdout ? stdout : undefined;
}

/** Prisma's migration folder prefix: the UTC time as yyyyMMddHHmmss. */
function migrationTimestamp(now: Date): string {
  return now.toISOString().replace(/[-:T]/g, "").slice(0, 14);
}
