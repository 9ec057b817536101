export {
  DEFAULT_BASE_URL,
  databaseNameOf,
  databaseUrlFor,
  maintenanceUrl,
  redactPassword,
  serviceDatabaseName,
  serviceDatabaseUrl,
} from "./database-urls.js";
export { databaseExists, dropDatabase, ensureDatabase } from "./databases.js";
export { createPrismaClient, type PrismaClientOptions } from "./prisma-client.js";
export {
  preparedLookup,
  preparedQuery,
  preparedRead,
  preparedTransaction,
  type PreparedLookupOptions,
  type PreparedTransactionOptions,
} from "./prepared-reads.js";
export { isRecordNotFound, isTransactionConflict, isUniqueViolation } from "./prisma-errors.js";
export { migrateDeploy, migrateWhenAsked, type MigrateDeployOptions } from "./migrations/deploy.js";
export { createMigration, type CreateMigrationOptions, type CreatedMigration } from "./migrations/create.js";
export { checkMigrations, type CheckMigrationsOptions, type MigrationProblem } from "./migrations/check.js";
export { MigrationError } from "./migrations/schema-engine.js";
export { discoverServices, type DatabaseService } from "./services.js";
