import { fileURLToPath } from "node:url";

export { loadCampaignConfig, campaignConfigSchema, type CampaignConfig } from "./config.js";
export {
  startCampaignService,
  campaignHandlers,
  type StartCampaignServiceOptions,
  type RunningCampaignService,
} from "./service.js";
export { campaignPolicy } from "./policy.js";
export { seedCampaign } from "./audience/seed-audience.js";
export { CampaignLaunched, CampaignPaused, CampaignEnded } from "./events.js";

/** Where the campaign service's schema and migrations live, for migrateDeploy. */
export const campaignMigrations = {
  schemaPath: fileURLToPath(new URL("../prisma/schema.prisma", import.meta.url)),
  migrationsDir: fileURLToPath(new URL("../prisma/migrations", import.meta.url)),
};
