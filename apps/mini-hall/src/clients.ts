import { createServiceClient, type ServiceClient } from "@omnihall/channel-client";
import { BillingServiceClient, BillingServiceService } from "@omnihall/proto/omnihall/billing/v1/billing";
import { CampaignServiceClient, CampaignServiceService } from "@omnihall/proto/omnihall/campaign/v1/campaign";
import { CatalogServiceClient, CatalogServiceService } from "@omnihall/proto/omnihall/catalog/v1/catalog";
import { AgentServiceClient, AgentServiceService } from "@omnihall/proto/omnihall/customer/v1/agent";
import { CustomerServiceClient, CustomerServiceService } from "@omnihall/proto/omnihall/customer/v1/customer";
import {
  AccountOpeningServiceClient,
  AccountOpeningServiceService,
} from "@omnihall/proto/omnihall/orders/v1/account_opening";
import { OrderServiceClient, OrderServiceService } from "@omnihall/proto/omnihall/orders/v1/orders";
import type { MiniHallConfig } from "./config.js";
import { MINI_HALL } from "./hall-name.js";

/** The domain services the mini hall calls. */
export interface MiniHallClients {
  agents: ServiceClient<typeof AgentServiceService>;
  customer: ServiceClient<typeof CustomerServiceService>;
  catalog: ServiceClient<typeof CatalogServiceService>;
  /** Live offers are read from NATS; this only takes the impressions and clicks. */
  campaign: ServiceClient<typeof CampaignServiceService>;
  openings: ServiceClient<typeof AccountOpeningServiceService>;
  orders: ServiceClient<typeof OrderServiceService>;
  billing: ServiceClient<typeof BillingServiceService>;
}

export function createMiniHallClients(config: MiniHallConfig): MiniHallClients {
  const common = {
    caller: MINI_HALL,
    credential: config.OMNIHALL_CALLER_KEY,
    defaultDeadlineMs: config.DOMAIN_CALL_DEADLINE_MS,
  };
  return {
    agents: createServiceClient(AgentServiceClient, { ...common, address: config.CUSTOMER_ADDRESS }),
    customer: createServiceClient(CustomerServiceClient, { ...common, address: config.CUSTOMER_ADDRESS }),
    catalog: createServiceClient(CatalogServiceClient, { ...common, address: config.CATALOG_ADDRESS }),
    campaign: createServiceClient(CampaignServiceClient, { ...common, address: config.CAMPAIGN_ADDRESS }),
    openings: createServiceClient(AccountOpeningServiceClient, { ...common, address: config.ORDERS_ADDRESS }),
    orders: createServiceClient(OrderServiceClient, { ...common, address: config.ORDERS_ADDRESS }),
    billing: createServiceClient(BillingServiceClient, { ...common, address: config.BILLING_ADDRESS }),
  };
}

export function closeMiniHallClients(clients: MiniHallClients): void {
  for (const client of Object.values(clients)) client.close();
}
