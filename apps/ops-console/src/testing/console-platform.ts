import { jsonCaller } from "@omnihall/testkit";
import { InProcessBus } from "@omnihall/bus";
import { seedCampaign } from "@omnihall/campaign";
import { startTestCampaignService } from "@omnihall/campaign/testing";
import { loadCatalogConfig, seedCatalog, startCatalogService } from "@omnihall/catalog";
import {
  DEMO_OPERATOR_PASSWORD,
  DEMO_OPERATORS,
  loadCustomerConfig,
  seedOperators,
  startCustomerService,
} from "@omnihall/customer";
import { migratedTestDatabase } from "@omnihall/db/testing";
import { createLogger } from "@omnihall/service-kit";
import { onTestFinished } from "vitest";
import { buildOpsConsole } from "../app.js";
import { closeOpsConsoleClients, createOpsConsoleClients } from "../clients.js";
import { loadOpsConsoleConfig } from "../config.js";

const appDir = (app: string) => new URL(`../../../${app}/`, import.meta.url);

export const OPERATORS = {
  hqAuthor: DEMO_OPERATORS[0],
  hqApprover: DEMO_OPERATORS[1],
  gdAuthorApprover: DEMO_OPERATORS[2],
  gdApprover: DEMO_OPERATORS[3],
  viewer: DEMO_OPERATORS[4],
};
export { DEMO_OPERATOR_PASSWORD };

/**
 * The ops console and the services its pages call, all real, for one test: customer (the demo operators), catalog
 * (the demo catalog) and campaign (the demo subscribers' audience facts), each on its own migrated database, and
 * the console on a free port (serving web/dist when `pages` is set). Stopped and dropped when the test ends.
 */
export async function consolePlatform(options: { pages?: string } = {}) {
  const logger = createLogger("ops-console-test", { level: "silent" });
  const bus = new InProcessBus({ logger });
  const stops: Array<() => Promise<void>> = [];
  const [customerDb, catalogDb] = await Promise.all(
    ["customer", "catalog"].map((app) => migratedTestDatabase(appDir(app))),
  );
  // The campaign service's own harness (its database and stop are registered with the test).
  const campaign = await startTestCampaignService();
  // Registered after the databases, so it runs before their drops: services stop while their databases exist.
  onTestFinished(async () => {
    for (const stop of stops.reverse()) await stop();
    await bus.close();
  });
  await seedOperators(customerDb!.url);
  await seedCatalog(catalogDb!.url);
  await seedCampaign(campaign.databaseUrl);

  const pool = { DATABASE_POOL_SIZE: "3", PORT: "0", LOG_LEVEL: "silent" };
  const customer = await startCustomerService({
    config: loadCustomerConfig({ ...pool, DATABASE_URL: customerDb!.url, NODE_ENV: "development" }),
    bus,
    logger,
  });
  stops.push(() => customer.stop());
  const catalog = await startCatalogService({
    config: loadCatalogConfig({ ...pool, DATABASE_URL: catalogDb!.url }),
    bus,
    logger,
  });
  stops.push(() => catalog.stop());

  const config = loadOpsConsoleConfig({
    CUSTOMER_ADDRESS: customer.address,
    CATALOG_ADDRESS: catalog.address,
    CAMPAIGN_ADDRESS: campaign.address,
    RATE_LIMIT_PER_MINUTE: "0",
    SESSION_COOKIE_SECURE: "false",
  });
  const clients = createOpsConsoleClients(config);
  const app = await buildOpsConsole({ config, clients, logger, frontEnd: options.pages ?? false });
  const url = await app.listen({ host: "127.0.0.1", port: 0 });
  stops.push(async () => {
    await app.close();
    closeOpsConsoleClients(clients);
  });

  const call = jsonCaller(url);

  /** A bearer token of a demo operator. */
  async function logIn(operator: (typeof DEMO_OPERATORS)[number]): Promise<string> {
    const answer = await call("POST", "/v1/sessions", { operatorId: operator.id, password: DEMO_OPERATOR_PASSWORD });
    if (answer.status !== 201) throw new Error(`login failed: ${JSON.stringify(answer.body)}`);
    return answer.body.token as string;
  }

  return { url, call, logIn, campaign };
}
