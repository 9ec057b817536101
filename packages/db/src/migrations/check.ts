import { databaseNameOf, maintenanceUrl } from "../database-urls.js";
import { databaseExists } from "../databases.js";
import { diffMigrationsToSchema } from "./create.js";
import { readMigrationList, readSchemaFiles } from "./migration-files.js";
import { MigrationError, NO_FILTERS, withSchemaEngine } from "./schema-engine.js";

/** Prisma's "migration failed to apply cleanly to the shadow database". */
const SHADOW_REPLAY_FAILED = "P3006";

export interface CheckMigrationsOptions {
  schemaPath: string;
  migrationsDir: string;
  /** Admin URL of a server for the throwaway shadow database. */
  adminUrl: string;
  /** A database the migrations were deployed to, checked for edited or failed migrations when it exists. */
  databaseUrl?: string;
}

export type MigrationProblem =
  /** The schema has changes no migration captures; sql is what `create` would write. */
  | { kind: "missing-migration"; sql: string; message: string }
  /** An applied migration's file no longer matches the checksum recorded when it was applied. */
  | { kind: "edited-migration"; migration: string; message: string }
  /** A migration failed half-way; deploys refuse until someone resolves it. */
  | { kind: "failed-migration"; migration: string; message: string }
  /** The database has a migration the folder lacks (deleted or renamed after it was applied). */
  | { kind: "unknown-migration"; migration: string; message: string }
  /** The migrations do not replay on an empty database; message carries PostgreSQL's complaint. */
  | { kind: "broken-migration"; message: string };

/** For CI: everything that makes a migration history untrustworthy. An empty list means all is well. */
export async function checkMigrations(options: CheckMigrationsOptions): Promise<MigrationProblem[]> {
  const [schemaFiles, migrationsList] = await Promise.all([
    readSchemaFiles(options.schemaPath),
    readMigrationList(options.migrationsDir),
  ]);
  const problems: MigrationProblem[] = [];
  const sql = await diffMigrationsToSchema({ schemaFiles, migrationsList, adminUrl: options.adminUrl }).catch(
    (error: unknown) => {
      if (!(error instanceof MigrationError && error.code === SHADOW_REPLAY_FAILED)) throw error;
      problems.push({ kind: "broken-migration", message: error.message });
      return undefined;
    },
  );
  if (sql) {
    problems.push({
      kind: "missing-migration",
      sql,
      message: "The schema has changes that no migration captures: run `npm run migrate -- create <service> <name>`",
    });
  }

  const { databaseUrl } = options;
  if (!databaseUrl || !(await databaseExists(maintenanceUrl(databaseUrl), databaseNameOf(databaseUrl)))) {
    return problems;
  }
  const diagnosis = await withSchemaEngine({ schemaFiles, databaseUrl }, (engine) =>
    engine.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters: NO_FILTERS }),
  );
  for (const migration of diagnosis.editedMigrationNames) {
    problems.push({
      kind: "edited-migration",
      migration,
      message: `Migration ${migration} was edited after it was applied: restore it and put the change in a new migration`,
    });
  }
  for (const migration of diagnosis.failedMigrationNames) {
    problems.push({
      kind: "failed-migration",
      migration,
      message: `Migration ${migration} failed in the database; repair the database by hand, then mark it rolled back (UPDATE _prisma_migrations SET rolled_back_at = now() WHERE migration_name = ...)`,
    });
  }
  const history = diagnosis.history;
  const unknown =
    history?.diagnostic === "migrationsDirectoryIsBehind" || history?.diagnostic === "historiesDiverge"
      ? history.unpersistedMigrationNames
      : [];
  for (const migration of unknown) {
    problems.push({
      kind: "unknown-migration",
      migration,
      message: `Migration ${migration} is applied to the database but missing from the migrations folder`,
    });
  }
  return problems;
}
