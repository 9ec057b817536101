import { JetStreamBus } from "@omnihall/bus";
import { createLogger, installSignalHandlers } from "@omnihall/service-kit";
import { migrateWhenAsked } from "@omnihall/db";
import { billingMigrations, loadBillingConfig, startBillingService } from "./index.js";

const config = loadBillingConfig();
if (await migrateWhenAsked({ ...billingMigrations, databaseUrl: config.DATABASE_URL })) process.exit(0);
const logger = createLogger("billing", { level: config.LOG_LEVEL });
const bus = await JetStreamBus.connect({
  url: config.NATS_URL.join(","),
  name: "billing",
  logger,
  replicas: config.NATS_REPLICAS,
});
const service = await startBillingService({ config, bus, logger });
installSignalHandlers(async () => {
  await service.stop();
  await bus.close();
}, logger);
