import { createLogger, installSignalHandlers } from "@omnihall/service-kit";
import { migrateWhenAsked } from "@omnihall/db";
import { catalogMigrations, loadCatalogConfig, startCatalogService } from "./index.js";

// Standalone entry, configured from the environment. The catalog exchanges no events, so it opens no NATS
// connection.
const config = loadCatalogConfig();
if (await migrateWhenAsked({ ...catalogMigrations, databaseUrl: config.DATABASE_URL })) process.exit(0);
const logger = createLogger("catalog", { level: config.LOG_LEVEL });
const service = await startCatalogService({ config, logger });
logger.info({ address: service.address }, "catalog service listening");
installSignalHandlers(() => service.stop(), logger);
