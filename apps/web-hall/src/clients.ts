import { createServiceClient, type ServiceClient } from "@omnihall/channel-client";
import { BillingServiceClient, BillingServiceService } from "@omnihall/proto/omnihall/billing/v1/billing";
import { PointsServiceClient, PointsServiceService } from "@omnihall/proto/omnihall/billing/v1/points";
import { CampaignServiceClient, CampaignServiceService } from "@omnihall/proto/omnihall/campaign/v1/campaign";
import { CatalogServiceClient, CatalogServiceService } from "@omnihall/proto/omnihall/catalog/v1/catalog";
import { CustomerServiceClient, CustomerServiceService } from "@omnihall/proto/omnihall/customer/v1/customer";
import { NotifyServiceClient, NotifyServiceService } from "@omnihall/proto/omnihall/notify/v1/notify";
import { OrderServiceClient, OrderServiceService } from "@omnihall/proto/omnihall/orders/v1/orders";
import { UsageServiceClient, UsageServiceService } from "@omnihall/proto/omnihall/usage/v1/usage";
import type { WebHallConfig } from "./config.js";
import { WEB_HALL } from "./hall-name.js";

/** The domain services the web hall calls. */
export interface WebHallClients {
  customer: ServiceClient<typeof CustomerServiceService>;
  billing: ServiceClient<typeof BillingServiceService>;
  points: ServiceClient<typeof PointsServiceService>;
  catalog: ServiceClient<typeof CatalogServiceService>;
  /** Live offers are read from NATS; this only takes the impressions and clicks. */
  campaign: ServiceClient<typeof CampaignServiceService>;
  orders: ServiceClient<typeof OrderServiceService>;
  usage: ServiceClient<typeof UsageServiceService>;
  notify: ServiceClient<typeof NotifyServiceService>;
}

export function createWebHallClients(config: WebHallConfig): WebHallClients {
  const common = {
    caller: WEB_HALL,
    credential: config.OMNIHALL_CALLER_KEY,
    defaultDeadlineMs: config.DOMAIN_CALL_DEADLINE_MS,
  };
  return {
    customer: createServiceClient(CustomerServiceClient, { ...common, address: config.CUSTOMER_ADDRESS }),
    billing: createServiceClient(BillingServiceClient, { ...common, address: config.BILLING_ADDRESS }),
    points: createServiceClient(PointsServiceClient, { ...common, address: config.BILLING_ADDRESS }),
    catalog: createServiceClient(CatalogServiceClient, { ...common, address: config.CATALOG_ADDRESS }),
    campaign: createServiceClient(CampaignServiceClient, { ...common, address: config.CAMPAIGN_ADDRESS }),
    orders: createServiceClient(OrderServiceClient, { ...common, address: config.ORDERS_ADDRESS }),
    usage: createServiceClient(UsageServiceClient, { ...common, address: config.USAGE_ADDRESS }),
    notify: createServiceClient(NotifyServiceClient, { ...common, address: config.NOTIFY_ADDRESS }),
  };
}

export function closeWebHallClients(clients: WebHallClients): void {
  for (const client of Object.values(clients)) client.close();
}
