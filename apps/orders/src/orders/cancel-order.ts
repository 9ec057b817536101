import type { CancelOrderRequest, CancelOrderResponse } from "@omnihall/proto/omnihall/orders/v1/orders";
import { OrderErrors, requireRequestId } from "../errors.js";
import { hasIdShape } from "@omnihall/ids";
import type { OrdersContext } from "../orders-context.js";
import { lockOrder } from "./lock-order.js";
import { isCancellable } from "./order-state.js";
import { orderToProto } from "./order-view.js";
import { transitionOrder } from "./transition-order.js";

/** Cancels an order the subscriber has not confirmed; a cancelled order is returned as it is. */
export async function cancelOrder(
  ctx: OrdersContext,
  request: CancelOrderRequest,
  requestId?: string,
): Promise<CancelOrderResponse> {
  requireRequestId(request.requestId);
  if (!hasIdShape(request.subscriberId, "sub")) throw OrderErrors.subscriberIdMalformed();
  if (!hasIdShape(request.orderId, "ord")) throw OrderErrors.orderIdMalformed();

  const order = await ctx.db.$transaction(async (tx) => {
    const order = await lockOrder(tx, request.orderId);
    if (!order || order.subscriberId !== request.subscriberId) throw OrderErrors.orderNotFound();
    // Cancelling is idempotent by state: a retry finds the order cancelled and returns it.
    if (order.state === "CANCELLED") return order;
    if (!isCancellable(order.state)) throw OrderErrors.orderNotCancellable();
    return transitionOrder(tx, order, "CANCELLED", { reason: "CANCELLED_BY_SUBSCRIBER", requestId });
  });
  return { order: orderToProto(order) };
}
