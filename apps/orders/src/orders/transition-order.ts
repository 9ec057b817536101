import { enqueue } from "@omnihall/bus";
import { OrderState as ProtoOrderState } from "@omnihall/proto/omnihall/orders/v1/orders";
import type { Order as OrderRow, Prisma } from "../generated/prisma/client.js";
import type { Tx } from "../db.js";
import { eventHeaders, OrderEvents } from "../events.js";
import { canTransition, orderStateToProto, type OrderState } from "./order-state.js";
import { orderToProto } from "./order-view.js";

export interface TransitionOptions {
  /** Stable reason for an exceptional transition (CONFIRMATION_EXPIRED, PROVISIONING_REJECTED…). */
  reason?: string;
  /** Other columns changed with the state, in the same write. */
  data?: Prisma.OrderUpdateInput;
  /** The request that caused it, passed on to event consumers' logs. */
  requestId?: string;
}

/**
 * The one way an order changes state: checks the state machine, writes the new state only if the row is still
 * in the state the caller read (so two writers cannot both move it), records the history entry and publishes
 * `orders.order.<state>` through the outbox, all in the caller's transaction.
 */
export async function transitionOrder(
  tx: Tx,
  order: OrderRow,
  to: OrderState,
  options: TransitionOptions = {},
): Promise<OrderRow> {
  if (!canTransition(order.state, to)) {
    throw new Error(`Order ${order.id} cannot go from ${order.state} to ${to}`);
  }
  const reason = options.reason ?? "";
  const updated = await tx.order.update({
    where: { id: order.id, state: order.state },
    data: { ...options.data, state: to, ...(to === "FAILED" || to === "CANCELLED" ? { failureReason: reason } : {}) },
  });
  await tx.orderTransition.create({ data: { orderId: order.id, fromState: order.state, toState: to, reason } });
  await enqueue(
    tx,
    OrderEvents[to],
    { order: orderToProto(updated), fromState: orderStateToProto(order.state), reason },
    { headers: eventHeaders(options.requestId) },
  );
  return updated;
}

/** Stores a new order in its first state, ACKNOWLEDGED, with its history entry and `orders.order.acknowledged`. */
export async function recordNewOrder(
  tx: Tx,
  data: Omit<Prisma.OrderCreateInput, "state">,
  requestId?: string,
): Promise<OrderRow> {
  const order = await tx.order.create({ data: { ...data, state: "ACKNOWLEDGED" } });
  await tx.orderTransition.create({ data: { orderId: order.id, toState: "ACKNOWLEDGED" } });
  await enqueue(
    tx,
    OrderEvents.ACKNOWLEDGED,
    { order: orderToProto(order), fromState: ProtoOrderState.ORDER_STATE_UNSPECIFIED, reason: "" },
    { headers: eventHeaders(requestId) },
  );
  return order;
}
