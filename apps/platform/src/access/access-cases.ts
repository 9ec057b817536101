import * as billingApp from "@omnihall/billing";
import { campaignPolicy } from "@omnihall/campaign";
import { catalogPolicy } from "@omnihall/catalog";
import { ServiceCallError } from "@omnihall/channel-client";
import { agentPolicy, customerPolicy, operatorPolicy, registrationPolicy, terminalPolicy } from "@omnihall/customer";
import { demoSubscribers } from "@omnihall/demo-data";
import { notifyPolicy } from "@omnihall/notify";
import { accountOpeningPolicy, ordersPolicy } from "@omnihall/orders";
import { BillingServiceClient } from "@omnihall/proto/omnihall/billing/v1/billing";
import { CampaignServiceClient } from "@omnihall/proto/omnihall/campaign/v1/campaign";
import { PointsServiceClient } from "@omnihall/proto/omnihall/billing/v1/points";
import { CatalogServiceClient } from "@omnihall/proto/omnihall/catalog/v1/catalog";
import { CustomerServiceClient } from "@omnihall/proto/omnihall/customer/v1/customer";
import { TerminalServiceClient } from "@omnihall/proto/omnihall/customer/v1/terminal";
import { NotifyServiceClient } from "@omnihall/proto/omnihall/notify/v1/notify";
import { OrderServiceClient } from "@omnihall/proto/omnihall/orders/v1/orders";
import { AccountOpeningServiceClient } from "@omnihall/proto/omnihall/orders/v1/account_opening";
import { AgentServiceClient } from "@omnihall/proto/omnihall/customer/v1/agent";
import { OperatorServiceClient } from "@omnihall/proto/omnihall/customer/v1/operator";
import { SubscriberRegistrationServiceClient } from "@omnihall/proto/omnihall/customer/v1/registration";
import { UsageServiceClient } from "@omnihall/proto/omnihall/usage/v1/usage";
import {
  CALLER_IDENTITIES,
  OPERATOR_ROLES,
  type ActingParty,
  type CallRule,
  type KnownCaller,
  type MethodDefinition,
} from "@omnihall/service-kit";
import { usagePolicy } from "@omnihall/usage";
import type { PlatformUnderTest } from "./platform-under-test.js";

type ClientClass = Parameters<PlatformUnderTest["clientOf"]>[0];
type Policy = Readonly<Record<string, CallRule | undefined>>;

/**
 * Every proto service the platform serves, with the policy its app declares. Billing's policies are looked up
 * on the app's exports, so this table covers them as soon as the billing app exports them.
 */
export const PROTO_SERVICES: ReadonlyArray<{ name: string; Client: ClientClass; policy: Policy | undefined }> = [
  { name: "CustomerService", Client: CustomerServiceClient, policy: customerPolicy },
  { name: "TerminalService", Client: TerminalServiceClient, policy: terminalPolicy },
  { name: "CatalogService", Client: CatalogServiceClient, policy: catalogPolicy },
  { name: "OrderService", Client: OrderServiceClient, policy: ordersPolicy },
  { name: "AgentService", Client: AgentServiceClient, policy: agentPolicy },
  { name: "OperatorService", Client: OperatorServiceClient, policy: operatorPolicy },
  { name: "SubscriberRegistrationService", Client: SubscriberRegistrationServiceClient, policy: registrationPolicy },
  { name: "AccountOpeningService", Client: AccountOpeningServiceClient, policy: accountOpeningPolicy },
  { name: "UsageService", Client: UsageServiceClient, policy: usagePolicy },
  { name: "NotifyService", Client: NotifyServiceClient, policy: notifyPolicy },
  { name: "BillingService", Client: BillingServiceClient, policy: exported("billingPolicy") },
  { name: "PointsService", Client: PointsServiceClient, policy: exported("pointsPolicy") },
  { name: "CampaignService", Client: CampaignServiceClient, policy: campaignPolicy },
];

function exported(name: string): Policy | undefined {
  return (billingApp as Record<string, unknown>)[name] as Policy | undefined;
}

/** The proto's own methods (ts-proto's service definition), never the policy's keys: an RPC without a rule shows. */
export function methodsOf(Client: ClientClass): Array<[string, MethodDefinition]> {
  return Object.entries(Client.service as Record<string, MethodDefinition>);
}

export const [SUBSCRIBER_A] = demoSubscribers(1) as [ReturnType<typeof demoSubscribers>[number]];
/** A demo subscriber of another province than A's. */
export const SUBSCRIBER_B = demoSubscribers(200).find((demo) => demo.provinceCode !== SUBSCRIBER_A.provinceCode)!;
export const OTHER_PROVINCE = SUBSCRIBER_B.provinceCode;

export const subscriberParty = (demo = SUBSCRIBER_A): ActingParty => ({
  kind: "subscriber",
  subscriberId: demo.subscriberId,
  msisdn: demo.msisdn,
});
export const agentParty = (provinceCode = SUBSCRIBER_A.provinceCode): ActingParty => ({
  kind: "agent",
  agentId: "agt_access_test",
  territory: { provinceCode },
});
export const operatorParty = (provinceScope = "*"): ActingParty => ({
  kind: "operator",
  operatorId: "op_access_test",
  roles: [...OPERATOR_ROLES],
  provinceScope,
});
export const deviceParty = (): ActingParty => ({
  kind: "device",
  deviceId: "dev_kiosk_1",
  shopId: "shop_1",
  provinceCode: SUBSCRIBER_A.provinceCode,
});

/** A valid party of the first kind this caller may assert (none for a domain service), so the policy decides. */
export function partyFor(caller: KnownCaller): ActingParty | undefined {
  switch (CALLER_IDENTITIES[caller].parties[0]) {
    case "subscriber":
      return subscriberParty();
    case "agent":
      return agentParty();
    case "operator":
      return operatorParty();
    case "device":
      return deviceParty();
    default:
      return undefined;
  }
}

export interface Outcome {
  ok: boolean;
  code?: number;
  reason?: string;
}

/** Calls one method with a request (a client stream gets it as its only message) and reports what came back. */
export async function call(
  platform: PlatformUnderTest,
  Client: ClientClass,
  methodName: string,
  caller: KnownCaller,
  request: unknown,
  party: ActingParty | undefined,
): Promise<Outcome> {
  const client = platform.clientOf(Client, caller) as unknown as Record<
    string,
    (request: unknown, options: object) => Promise<unknown>
  >;
  const method = (Client.service as Record<string, MethodDefinition>)[methodName]!;
  const options = { party, requestId: `access-${caller}-${methodName}-${Math.random().toString(36).slice(2)}` };
  try {
    await client[methodName]!(method.requestStream ? [request] : request, options);
    return { ok: true };
  } catch (error) {
    if (!(error instanceof ServiceCallError)) throw error;
    return { ok: false, code: error.code, reason: error.reason };
  }
}

/** The request of a method as an empty message, i.e. every field at its default. */
export function emptyRequest(method: MethodDefinition): Record<string, unknown> {
  return (method as unknown as { requestDeserialize(bytes: Buffer): Record<string, unknown> }).requestDeserialize(
    Buffer.alloc(0),
  );
}
