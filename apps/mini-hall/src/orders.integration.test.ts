import { randomUUID } from "node:crypto";
import { demoSubscribers } from "@omnihall/demo-data";
import { ConfirmationRequested } from "@omnihall/orders";
import { ConfirmationRequestedEvent } from "@omnihall/proto/omnihall/orders/v1/order_events";
import { expect, it } from "vitest";
import { miniHallPlatform } from "./testing/mini-platform.js";

const [shenzhener] = demoSubscribers(1);

it("orders a pack for the subscriber in front of the agent, confirmed by the code sent to their phone", async () => {
  const platform = await miniHallPlatform();
  const codes = new Map<string, string>();
  await platform.bus.subscribe(
    { durable: `test--mini-codes-${randomUUID()}`, subjects: [ConfirmationRequested.subject], deliverFrom: "all" },
    async (delivery) => {
      const event = ConfirmationRequestedEvent.decode(delivery.payload);
      codes.set(event.orderId, event.code);
      delivery.ack();
    },
  );
  const auth = { authorization: `Bearer ${await platform.logIn()}` };
  const subscriberId = shenzhener!.subscriberId;

  const created = await platform.call(
    "POST",
    "/v1/orders",
    { subscriberId, offeringCode: "DATA_10GB_MONTH" },
    { ...auth, "idempotency-key": randomUUID() },
  );
  expect(created.status).toBe(201);
  const order = created.body.order;
  expect(order).toMatchObject({
    state: "PENDING",
    confirmationMethod: "ONE_TIME_CODE",
    offeringCode: "DATA_10GB_MONTH",
  });
  await expect.poll(() => codes.get(order.orderId)).toMatch(/^\d+$/);
  const code = codes.get(order.orderId)!;

  const confirm = (typed: string) =>
    platform.call(
      "POST",
      `/v1/orders/${order.orderId}/confirmation`,
      { subscriberId, code: typed },
      { ...auth, "idempotency-key": randomUUID() },
    );
  const wrong = await confirm(code === "000000" ? "111111" : "000000");
  expect([wrong.status, wrong.body.error.reason]).toEqual([403, "CONFIRMATION_CODE_WRONG"]);
  const right = await confirm(code);
  expect(right.status).toBe(200);
  expect(["IN_PROGRESS", "COMPLETED", "FAILED", "HELD"]).toContain(right.body.order.state);

  // A subscriber outside the agent's city: refused by the order engine's scope rules.
  const guangzhouer = demoSubscribers(22)[21]!;
  const outside = await platform.call(
    "POST",
    "/v1/orders",
    { subscriberId: guangzhouer.subscriberId, offeringCode: "DATA_10GB_MONTH" },
    { ...auth, "idempotency-key": randomUUID() },
  );
  expect([outside.status, outside.body.error.reason]).toEqual([403, "OUTSIDE_PARTY_SCOPE"]);
}, 120_000);
