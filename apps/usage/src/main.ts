import { JetStreamBus } from "@omnihall/bus";
import { migrateDeploy } from "@omnihall/db";
import { createLogger, installSignalHandlers } from "@omnihall/service-kit";
import { loadUsageConfig, startUsageService, usageMigrations } from "./index.js";

const config = loadUsageConfig();
const logger = createLogger("usage", { level: config.logLevel });
await migrateDeploy({ ...usageMigrations, databaseUrl: config.databaseUrl });
const bus = await JetStreamBus.connect({ url: config.natsUrl.join(","), name: "usage", logger });
const service = await startUsageService({ config, bus, logger });
installSignalHandlers(async () => {
  await service.stop();
  await bus.close();
}, logger);
