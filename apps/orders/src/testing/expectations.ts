import { setTimeout as sleep } from "node:timers/promises";
import type { EventBus } from "@omnihall/bus";
import { ServiceCallError } from "@omnihall/channel-client";
import { uniqueSuffix } from "@omnihall/testkit";
import { expect } from "vitest";
import { ALL_ORDERS_EVENTS } from "../events.js";

/** Waits until `probe` returns a defined value (polling), or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await sleep(50);
  }
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
