import { JetStreamBus } from "@omnihall/bus";
import { createLogger, installSignalHandlers } from "@omnihall/service-kit";
import { migrateWhenAsked } from "@omnihall/db";
import { customerMigrations, loadCustomerConfig, startCustomerService } from "./index.js";

// Standalone entry, configured from the environment; login-code events go to JetStream on NATS_URL.
const config = loadCustomerConfig();
if (await migrateWhenAsked({ ...customerMigrations, databaseUrl: config.DATABASE_URL })) process.exit(0);
const logger = createLogger("customer", { level: config.LOG_LEVEL });
const bus = await JetStreamBus.connect({
  url: config.NATS_URL.join(","),
  name: "customer",
  logger,
  replicas: config.NATS_REPLICAS,
});
const service = await startCustomerService({ config, bus, logger });
logger.info({ address: service.address }, "customer service listening");
installSignalHandlers(async () => {
  await service.stop();
  await bus.close();
}, logger);
