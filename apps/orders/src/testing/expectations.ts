import type { EventBus } from "@omnihall/bus";
import { ServiceCallError } from "@omnihall/channel-client";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { CreateOrderRequest, OrderState } from "@omnihall/proto/omnihall/orders/v1/orders";
import { uniqueSuffix, waitFor } from "@omnihall/testkit";
import { expect } from "vitest";
import { ALL_ORDERS_EVENTS } from "../events.js";
import type { OrdersHarness } from "./orders-harness.js";

/** The demo subscriber most tests order for: Guangdong, on a 5G plan (see @omnihall/demo-data). */
export const GD_5G = "sub_demo000001";

/** A web-hall order of a 20 GB pack for GD_5G with a fresh request id; a test patches what it is about. */
export function orderRequest(patch: Partial<CreateOrderRequest> = {}): CreateOrderRequest {
  return CreateOrderRequest.fromPartial({
    requestId: `req-${uniqueSuffix()}`,
    subscriberId: GD_5G,
    offeringCode: "DATA_20GB_30D",
    channel: Channel.CHANNEL_WEB_HALL,
    ...patch,
  });
}

/** Waits until the order is COMPLETED or FAILED (the saga runs after the call returns) and returns it. */
export function finalOrder(
  harness: Pick<OrdersHarness, "client">,
  orderId: string,
  subscriberId: string,
  timeoutMs = 15_000,
) {
  const final = [OrderState.ORDER_STATE_COMPLETED, OrderState.ORDER_STATE_FAILED];
  return waitFor(
    `order ${orderId} to complete or fail`,
    async () => {
      const { order } = await harness.client.getOrder({ orderId, subscriberId });
      return order && final.includes(order.state) && order;
    },
    { timeoutMs },
  );
}

/** Expects a service call to fail with this gRPC code and reason; returns the error for more checks. */
export async function expectCallError(call: Promise<unknown>, code: number, reason: string): Promise<ServiceCallError> {
  const error = await call.then(
    () => undefined,
    (failure: unknown) => failure,
  );
  expect(error, `expected ${reason}`).toBeInstanceOf(ServiceCallError);
  const callError = error as ServiceCallError;
  expect({ code: callError.code, reason: callError.reason }).toEqual({ code, reason });
  expect(callError.messages["zh-CN"]).not.toBe("");
  expect(callError.messages.en).not.toBe("");
  return callError;
}

export interface RecordedEvent {
  subject: string;
  payload: Uint8Array;
}

/** Records every orders event published on `bus` from now on (a fresh durable per call). */
export async function recordOrderEvents(bus: EventBus): Promise<RecordedEvent[]> {
  const events: RecordedEvent[] = [];
  await bus.subscribe(
    {
      durable: `test--orders-${uniqueSuffix()}`,
      subjects: ALL_ORDERS_EVENTS.map((event) => event.subject),
      deliverFrom: "all",
    },
    async (delivery) => {
      events.push({ subject: delivery.subject, payload: delivery.payload });
      delivery.ack();
    },
  );
  return events;
}
