import { createServiceClient, type ServiceClient } from "@omnihall/channel-client";
import { CampaignServiceClient, CampaignServiceService } from "@omnihall/proto/omnihall/campaign/v1/campaign";
import { CatalogServiceClient, CatalogServiceService } from "@omnihall/proto/omnihall/catalog/v1/catalog";
import { OperatorServiceClient, OperatorServiceService } from "@omnihall/proto/omnihall/customer/v1/operator";
import type { OpsConsoleConfig } from "./config.js";
import { OPS_CONSOLE } from "./hall-name.js";

/** The domain services the ops console calls. */
export interface OpsConsoleClients {
  operators: ServiceClient<typeof OperatorServiceService>;
  catalog: ServiceClient<typeof CatalogServiceService>;
  campaigns: ServiceClient<typeof CampaignServiceService>;
}

export function createOpsConsoleClients(config: OpsConsoleConfig): OpsConsoleClients {
  const common = {
    caller: OPS_CONSOLE,
    credential: config.OMNIHALL_CALLER_KEY,
    defaultDeadlineMs: config.DOMAIN_CALL_DEADLINE_MS,
  };
  return {
    operators: createServiceClient(OperatorServiceClient, { ...common, address: config.CUSTOMER_ADDRESS }),
    catalog: createServiceClient(CatalogServiceClient, { ...common, address: config.CATALOG_ADDRESS }),
    campaigns: createServiceClient(CampaignServiceClient, { ...common, address: config.CAMPAIGN_ADDRESS }),
  };
}

export function closeOpsConsoleClients(clients: OpsConsoleClients): void {
  for (const client of Object.values(clients)) client.close();
}
