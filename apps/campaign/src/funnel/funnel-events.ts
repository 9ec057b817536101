import { defineEvent } from "@omnihall/bus";
import { OrderStateChangedEvent } from "@omnihall/proto/omnihall/orders/v1/order_events";

/** `orders.order.<state>`: one subject per state, one message type (the order engine's contract). */
export const OrderStateChanged = (
  ["acknowledged", "pending", "held", "in_progress", "completed", "failed", "cancelled"] as const
).map((state) => defineEvent(`orders.order.${state}`, OrderStateChangedEvent));

/** notify's consent changes (grants and opt-outs, "TD" included), defined once with the audience facts. */
export { ConsentChanged } from "../audience/fact-consumer.js";
