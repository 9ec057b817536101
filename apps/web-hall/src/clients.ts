import { createServiceClient, type ServiceClient } from "@omnihall/channel-client";
import { BillingServiceClient, BillingServiceService } from "@omnihall/proto/omnihall/billing/v1/billing";
import { CustomerServiceClient, CustomerServiceService } from "@omnihall/proto/omnihall/customer/v1/customer";
import type { WebHallConfig } from "./config.js";
import { WEB_HALL } from "./hall-name.js";

/** The domain services the web hall calls. */
export interface WebHallClients {
  customer: ServiceClient<typeof CustomerServiceService>;
  billing: ServiceClient<typeof BillingServiceService>;
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
  };
}
