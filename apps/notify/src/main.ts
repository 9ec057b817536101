import { JetStreamBus } from "@omnihall/bus";
import { createLogger, installSignalHandlers } from "@omnihall/service-kit";
import { migrateWhenAsked } from "@omnihall/db";
import { notifyMigrations, loadNotifyConfig, startNotifyService } from "./index.js";

// Standalone entry, configured from the environment; events arrive from JetStream on NATS_URL.
const config = loadNotifyConfig();
if (await migrateWhenAsked({ ...notifyMigrations, databaseUrl: config.DATABASE_URL })) process.exit(0);
const logger = createLogger("notify", { level: config.LOG_LEVEL });
const bus = await JetStreamBus.connect({
  url: config.NATS_URL.join(","),
  name: "notify",
  logger,
  replicas: config.NATS_REPLICAS,
});
const service = await startNotifyService({ config, bus, logger });
logger.info({ address: service.address }, "notify service listening");
installSignalHandlers(async () => {
  await service.stop();
  await bus.close();
}, logger);
