import { batchedCalls, createServiceClient, type ServiceClient } from "@omnihall/channel-client";
import { BillingServiceClient, BillingServiceService } from "@omnihall/proto/omnihall/billing/v1/billing";
import { CampaignServiceClient, CampaignServiceService } from "@omnihall/proto/omnihall/campaign/v1/campaign";
import { PointsServiceClient, PointsServiceService } from "@omnihall/proto/omnihall/billing/v1/points";
import { CustomerServiceClient, CustomerServiceService } from "@omnihall/proto/omnihall/customer/v1/customer";
import { NotifyServiceClient, NotifyServiceService } from "@omnihall/proto/omnihall/notify/v1/notify";
import { OrderServiceClient, OrderServiceService } from "@omnihall/proto/omnihall/orders/v1/orders";
import { UsageServiceClient, UsageServiceService } from "@omnihall/proto/omnihall/usage/v1/usage";
import type { SmsHallConfig } from "./config.js";

/** The domain services the SMS hall calls; it holds no business rule of its own. */
export interface SmsHallClients {
  customer: ServiceClient<typeof CustomerServiceService>;
  billing: ServiceClient<typeof BillingServiceService>;
  points: ServiceClient<typeof PointsServiceService>;
  usage: ServiceClient<typeof UsageServiceService>;
  orders: ServiceClient<typeof OrderServiceService>;
  notify: ServiceClient<typeof NotifyServiceService>;
  campaign: ServiceClient<typeof CampaignServiceService>;
  /**
   * The calls nearly every text makes (who is it, the balance, the reply), each gathered with the same call of the
   * other texts in flight into one Batch… call (see batchedCalls): under load a gRPC call per text per service
   * cost more CPU than everything else the hall and the services do for it.
   */
  perText: {
    getSubscriber: ReturnType<typeof batchedCalls<typeof CustomerServiceService.getSubscriber>>;
    getBalance: ReturnType<typeof batchedCalls<typeof BillingServiceService.getBalance>>;
    sendMessage: ReturnType<typeof batchedCalls<typeof NotifyServiceService.sendMessage>>;
  };
}

export function createSmsHallClients(config: SmsHallConfig): SmsHallClients {
  const common = {
    caller: "sms-hall",
    credential: config.OMNIHALL_CALLER_KEY,
    defaultDeadlineMs: config.DOMAIN_CALL_DEADLINE_MS,
  };
  const customer = createServiceClient(CustomerServiceClient, { ...common, address: config.CUSTOMER_ADDRESS });
  const billing = createServiceClient(BillingServiceClient, { ...common, address: config.BILLING_ADDRESS });
  const notify = createServiceClient(NotifyServiceClient, { ...common, address: config.NOTIFY_ADDRESS });
  return {
    customer,
    billing,
    points: createServiceClient(PointsServiceClient, { ...common, address: config.BILLING_ADDRESS }),
    usage: createServiceClient(UsageServiceClient, { ...common, address: config.USAGE_ADDRESS }),
    orders: createServiceClient(OrderServiceClient, { ...common, address: config.ORDERS_ADDRESS }),
    notify,
    campaign: createServiceClient(CampaignServiceClient, { ...common, address: config.CAMPAIGN_ADDRESS }),
    perText: {
      getSubscriber: batchedCalls(customer.batchGetSubscribers, CustomerServiceService.getSubscriber),
      getBalance: batchedCalls(billing.batchGetBalances, BillingServiceService.getBalance),
      sendMessage: batchedCalls(notify.batchSendMessages, NotifyServiceService.sendMessage),
    },
  };
}

export function closeSmsHallClients(clients: SmsHallClients): void {
  const { perText: _batched, ...services } = clients;
  for (const client of Object.values(services)) client.close();
}
