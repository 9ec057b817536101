import { JetStreamBus } from "@omnihall/bus";
import { createLogger, installSignalHandlers } from "@omnihall/service-kit";
import { migrateWhenAsked } from "@omnihall/db";
import { ordersMigrations, loadOrdersConfig, startOrdersService } from "./index.js";

const config = loadOrdersConfig();
if (await migrateWhenAsked({ ...ordersMigrations, databaseUrl: config.DATABASE_URL })) process.exit(0);
const logger = createLogger("orders", { level: config.LOG_LEVEL });
const bus = await JetStreamBus.connect({
  url: config.NATS_URL.join(","),
  name: "orders",
  logger,
  replicas: config.NATS_REPLICAS,
});
const service = await startOrdersService({ config, bus, logger });
installSignalHandlers(async () => {
  await service.stop();
  await bus.close();
}, logger);
