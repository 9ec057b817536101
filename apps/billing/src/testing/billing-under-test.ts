import { JetStreamBus } from "@omnihall/bus";
import { createServiceClient } from "@omnihall/channel-client";
import { developmentCallerKey } from "@omnihall/config";
import { migratedTestDatabase } from "@omnihall/db/testing";
import { newId } from "@omnihall/ids";
import { BillingServiceClient } from "@omnihall/proto/omnihall/billing/v1/billing";
import { createLogger } from "@omnihall/service-kit";
import "@omnihall/testkit";
import { inject, onTestFinished } from "vitest";
import { createBillingDb, loadBillingConfig, startBillingService } from "../index.js";

/**
 * The real billing service for one test: its own migrated database, the test NATS server, a gRPC server on a
 * free port, and a client calling it as the web hall. Everything stops when the test ends.
 */
export async function billingUnderTest(env: Record<string, string> = {}) {
  const database = await migratedTestDatabase(new URL("../../", import.meta.url));
  const config = loadBillingConfig({ DATABASE_URL: database.url, PORT: "0", LOG_LEVEL: "silent", ...env });
  const logger = createLogger("billing-test", { level: "silent" });
  const bus = await JetStreamBus.connect({ url: inject("natsUrl"), logger });
  const service = await startBillingService({ config, bus, logger });
  const db = createBillingDb(database.url, 2);
  const client = createServiceClient(BillingServiceClient, {
    address: `127.0.0.1:${service.port}`,
    caller: "web-hall",
    credential: developmentCallerKey("web-hall"),
  });
  onTestFinished(async () => {
    client.close();
    await service.stop();
    await db.$disconnect();
    await bus.close();
  });

  /** A subscriber with an account holding `balanceFen`. */
  async function account(balanceFen: bigint): Promise<string> {
    const subscriberId = newId("sub");
    await db.account.create({ data: { subscriberId, balanceFen } });
    return subscriberId;
  }

  return { client, db, bus, service, config, account };
}
