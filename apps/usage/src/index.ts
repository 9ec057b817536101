import { fileURLToPath } from "node:url";

export { loadUsageConfig, type UsageConfig } from "./config.js";
export { startUsageService, type RunningUsageService } from "./service.js";
export { usagePolicy } from "./policy.js";
export { QuotaThresholdCrossed, RoamingEntered, UsageSummaryDue } from "./events.js";

/** Where the usage database's schema and migrations live, for whoever deploys migrations. */
export const usageMigrations = {
  schemaPath: fileURLToPath(new URL("../prisma/schema.prisma", import.meta.url)),
  migrationsDir: fileURLToPath(new URL("../prisma/migrations", import.meta.url)),
};
