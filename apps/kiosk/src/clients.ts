import { createServiceClient, type ServiceClient } from "@omnihall/channel-client";
import { BillingServiceClient, BillingServiceService } from "@omnihall/proto/omnihall/billing/v1/billing";
import { CampaignServiceClient, CampaignServiceService } from "@omnihall/proto/omnihall/campaign/v1/campaign";
import { CatalogServiceClient, CatalogServiceService } from "@omnihall/proto/omnihall/catalog/v1/catalog";
import { CustomerServiceClient, CustomerServiceService } from "@omnihall/proto/omnihall/customer/v1/customer";
import { TerminalServiceClient, TerminalServiceService } from "@omnihall/proto/omnihall/customer/v1/terminal";
import { OrderServiceClient, OrderServiceService } from "@omnihall/proto/omnihall/orders/v1/orders";
import type { KioskConfig } from "./config.js";
import { KIOSK } from "./hall-name.js";

/** The domain services the kiosk calls. */
export interface KioskClients {
  customer: ServiceClient<typeof CustomerServiceService>;
  terminals: ServiceClient<typeof TerminalServiceService>;
  billing: ServiceClient<typeof BillingServiceService>;
  catalog: ServiceClient<typeof CatalogServiceService>;
  /** Live offers are read from NATS; this only takes the impressions and clicks. */
  campaign: ServiceClient<typeof CampaignServiceService>;
  orders: ServiceClient<typeof OrderServiceService>;
}

export function createKioskClients(config: KioskConfig): KioskClients {
  const common = {
    caller: KIOSK,
    credential: config.OMNIHALL_CALLER_KEY,
    defaultDeadlineMs: config.DOMAIN_CALL_DEADLINE_MS,
  };
  return {
    customer: createServiceClient(CustomerServiceClient, { ...common, address: config.CUSTOMER_ADDRESS }),
    terminals: createServiceClient(TerminalServiceClient, { ...common, address: config.CUSTOMER_ADDRESS }),
    billing: createServiceClient(BillingServiceClient, { ...common, address: config.BILLING_ADDRESS }),
    catalog: createServiceClient(CatalogServiceClient, { ...common, address: config.CATALOG_ADDRESS }),
    campaign: createServiceClient(CampaignServiceClient, { ...common, address: config.CAMPAIGN_ADDRESS }),
    orders: createServiceClient(OrderServiceClient, { ...common, address: config.ORDERS_ADDRESS }),
  };
}

export function closeKioskClients(clients: KioskClients): void {
  for (const client of Object.values(clients)) client.close();
}
