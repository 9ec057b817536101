import { fileURLToPath } from "node:url";

export { loadNotifyConfig, notifyConfigSchema, type NotifyConfig } from "./config.js";
export {
  startNotifyService,
  notifyHandlers,
  NOTIFY_ERROR_DOMAIN,
  type RunningNotifyService,
  type StartNotifyServiceOptions,
} from "./service.js";
export { notifyPolicy } from "./policy.js";
export { allTemplates, type Template } from "./templates/catalog.js";
export { seedNotify, demoConsentingSubscribers } from "./seed/seed-notify.js";

/** Where the notify service's schema and migrations live, for the platform launcher and tests. */
export const notifyMigrations = {
  schemaPath: fileURLToPath(new URL("../prisma/schema.prisma", import.meta.url)),
  migrationsDir: fileURLToPath(new URL("../prisma/migrations", import.meta.url)),
};
