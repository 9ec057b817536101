import { JetStreamBus } from "@omnihall/bus";
import { createLogger, installSignalHandlers } from "@omnihall/service-kit";
import { migrateWhenAsked } from "@omnihall/db";
import { campaignMigrations, loadCampaignConfig, startCampaignService } from "./index.js";

// Standalone entry, configured from the environment: its events and the live offer set both need NATS.
const config = loadCampaignConfig();
if (await migrateWhenAsked({ ...campaignMigrations, databaseUrl: config.DATABASE_URL })) process.exit(0);
const logger = createLogger("campaign", { level: config.LOG_LEVEL });
const servers = config.NATS_URL ?? ["nats://127.0.0.1:4222"];
const bus = await JetStreamBus.connect({
  url: servers.join(","),
  name: "campaign",
  logger,
  replicas: config.NATS_REPLICAS,
});
const service = await startCampaignService({ config: { ...config, NATS_URL: servers }, bus, logger });
logger.info({ address: service.address }, "campaign service listening");
installSignalHandlers(async () => {
  await service.stop();
  await bus.close();
}, logger);
