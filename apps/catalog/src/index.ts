import { fileURLToPath } from "node:url";

export { loadCatalogConfig, catalogConfigSchema, type CatalogConfig } from "./config.js";
export {
  startCatalogService,
  catalogHandlers,
  type StartCatalogServiceOptions,
  type RunningCatalogService,
} from "./service.js";
export { catalogPolicy } from "./policy.js";
export { seedCatalog, type CatalogSeedResult } from "./seed/seed-catalog.js";
export { evaluateEligibility, type EligibilityQuestion } from "./eligibility/evaluate-eligibility.js";

/** Where the catalog's schema and migrations live, for migrateDeploy. */
export const catalogMigrations = {
  schemaPath: fileURLToPath(new URL("../prisma/schema.prisma", import.meta.url)),
  migrationsDir: fileURLToPath(new URL("../prisma/migrations", import.meta.url)),
};
