/**
 * gRPC load in its own process, through the same channel client every hall and service uses: one scenario,
 * `concurrency` calls in flight, for `durationS` seconds (or `count` calls) after a warm-up. Reads its settings as
 * JSON from the file named by argv[2]; prints the figures as one JSON line.
 */
import { readFile } from "node:fs/promises";
import { createServiceClient } from "@omnihall/channel-client";
import { developmentCallerKey } from "@omnihall/config";
import { demoSubscribers } from "@omnihall/demo-data";
import {
  CatalogServiceClient,
  CheckEligibilityRequest,
  ListOfferingsRequest,
} from "@omnihall/proto/omnihall/catalog/v1/catalog";
import { BillingServiceClient } from "@omnihall/proto/omnihall/billing/v1/billing";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { CustomerServiceClient } from "@omnihall/proto/omnihall/customer/v1/customer";
import { MessageKind, NotifyServiceClient, SendMessageRequest } from "@omnihall/proto/omnihall/notify/v1/notify";
import { CreateOrderRequest, OrderServiceClient } from "@omnihall/proto/omnihall/orders/v1/orders";
import { measureCalls, type MeasuredCalls } from "@omnihall/testkit/bench";

export const GRPC_SCENARIOS = [
  "customer.GetSubscriber",
  "billing.GetBalance",
  "catalog.CheckEligibility",
  "catalog.ListOfferings",
  "orders.CreateAndConfirm",
  "notify.SendMessage",
] as const;
export type GrpcScenario = (typeof GRPC_SCENARIOS)[number];

export interface GrpcLoadSettings {
  scenario: GrpcScenario;
  address: string;
  /** The caller the load presents (a domain service's name: it needs no acting party). */
  caller: string;
  concurrency: number;
  /** Run this long (seconds), at most `count` calls; without it, exactly `count` calls. */
  durationS?: number;
  count: number;
  /** Calls made (and not measured) first: connections, pools and the JIT warmed up. */
  warmupCalls: number;
  /** Only the first this many demo subscribers (those with a billing account); default all. */
  subscribers?: number;
  /** Distinguishes this run's request ids from earlier runs' on the same databases. */
  runId: string;
}

const settings = JSON.parse(await readFile(process.argv[2]!, "utf8")) as GrpcLoadSettings;
const clientOptions = {
  address: settings.address,
  caller: settings.caller,
  credential: developmentCallerKey(settings.caller),
  defaultDeadlineMs: 30_000,
};
const subscribers = demoSubscribers(settings.subscribers);
// Eligibility facts of a Guangdong subscriber on a 5G plan who already has broadband: the order engine's question.
const facts = { provinceCode: "GD", planCode: "PLAN_5G_59", tenureMonths: 30 };

function scenario(name: GrpcScenario): { call: (i: number) => Promise<unknown>; close(): void } {
  switch (name) {
    case "customer.GetSubscriber": {
      const client = createServiceClient(CustomerServiceClient, clientOptions);
      return { call: (i) => client.getSubscriber({ msisdn: subscribers[i % subscribers.length]!.msisdn }), ...client };
    }
    case "billing.GetBalance": {
      const client = createServiceClient(BillingServiceClient, clientOptions);
      return {
        call: (i) => client.getBalance({ subscriberId: subscribers[i % subscribers.length]!.subscriberId }),
        ...client,
      };
    }
    case "catalog.CheckEligibility": {
      const client = createServiceClient(CatalogServiceClient, clientOptions);
      const request = CheckEligibilityRequest.fromPartial({
        offeringCode: "BB_1000M_NEW",
        channel: Channel.CHANNEL_WEB_HALL,
        subscriber: { ...facts, heldOfferingCodes: ["PLAN_5G_59", "BB_300M_NEW"] },
      });
      return { call: () => client.checkEligibility(request), ...client };
    }
    case "catalog.ListOfferings": {
      const client = createServiceClient(CatalogServiceClient, clientOptions);
      const request = ListOfferingsRequest.fromPartial({
        provinceCode: "GD",
        channel: Channel.CHANNEL_WEB_HALL,
        pageSize: 50,
      });
      return { call: () => client.listOfferings(request), ...client };
    }
    case "orders.CreateAndConfirm": {
      const client = createServiceClient(OrderServiceClient, clientOptions);
      const inGuangdong = subscribers.filter((subscriber) => subscriber.provinceCode === "GD");
      return {
        call: async (i) => {
          const subscriber = inGuangdong[i % inGuangdong.length]!;
          const { order } = await client.createOrder(
            CreateOrderRequest.fromPartial({
              requestId: `bench-${settings.runId}-create-${i}`,
              subscriberId: subscriber.subscriberId,
              offeringCode: "DATA_1GB_1D",
              channel: Channel.CHANNEL_WEB_HALL,
            }),
          );
          await client.confirmOrder({
            requestId: `bench-${settings.runId}-confirm-${i}`,
            subscriberId: subscriber.subscriberId,
            orderId: order!.orderId,
            confirmationCode: "",
          });
        },
        ...client,
      };
    }
    case "notify.SendMessage": {
      const client = createServiceClient(NotifyServiceClient, clientOptions);
      return {
        call: (i) =>
          client.sendMessage(
            SendMessageRequest.fromPartial({
              requestId: `bench-${settings.runId}-${i}`,
              subscriberId: subscribers[i % subscribers.length]!.subscriberId,
              kind: MessageKind.MESSAGE_KIND_SERVICE,
              templateCode: "QUOTA_THRESHOLD",
              variables: { offering: "5G 智享 59 元套餐", percent: "80", used: "24GB", total: "30GB" },
              campaignId: "",
              channel: Channel.CHANNEL_SYSTEM,
            }),
          ),
        ...client,
      };
    }
  }
}

const { call, close } = scenario(settings.scenario);
// Warm-up calls use indexes past the measured ones, so no measured write repeats a warm-up's request id.
const offset = settings.count + 1_000_000;
await measureCalls("warm-up", settings.warmupCalls, (i) => call(offset + i), {
  concurrency: settings.concurrency,
  quiet: true,
});
const figures: MeasuredCalls = await measureCalls(settings.scenario, settings.count, call, {
  concurrency: settings.concurrency,
  durationMs: settings.durationS === undefined ? undefined : settings.durationS * 1000,
  quiet: true,
});
close();
process.stdout.write(`${JSON.stringify(figures)}\n`);
