import { JetStreamBus } from "@omnihall/bus";
import { migrateWhenAsked } from "@omnihall/db";
import { createLogger, installSignalHandlers } from "@omnihall/service-kit";
import { loadUsageConfig, startUsageService, usageMigrations } from "./index.js";

const config = loadUsageConfig();
const logger = createLogger("usage", { level: config.logLevel });
if (await migrateWhenAsked({ ...usageMigrations, databaseUrl: config.databaseUrl })) process.exit(0);
const bus = await JetStreamBus.connect({
  url: config.natsUrl.join(","),
  name: "usage",
  logger,
  replicas: config.natsReplicas,
});
const service = await startUsageService({ config, bus, logger });
installSignalHandlers(async () => {
  await service.stop();
  await bus.close();
}, logger);
