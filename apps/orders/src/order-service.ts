import type { ServiceRegistration } from "@omnihall/service-kit";
import { OrderServiceService } from "@omnihall/proto/omnihall/orders/v1/orders";
import { cancelOrder } from "./orders/cancel-order.js";
import { confirmOrder } from "./orders/confirm-order.js";
import { createOrder } from "./orders/create-order.js";
import {
  assertOrderInScope,
  forScopedSubscriber,
  scopedGetOrder,
  scopedListOrders,
  withActingAgent,
  type SubscriberWhereabouts,
} from "./orders/order-scope.js";
import { getOrder, listOrders } from "./orders/query-orders.js";
import type { OrdersContext } from "./orders-context.js";
import { ordersPolicy } from "./policy.js";
import { convertTrial, listProducts, unsubscribe } from "./products/product-requests.js";

/**
 * omnihall.orders.v1.OrderService: each RPC handed to its use case, with the subscriber it names first held to
 * the acting party (`whereabouts` places a subscriber for an agent's or operator's scope).
 */
export function orderService(
  ctx: OrdersContext,
  whereabouts: SubscriberWhereabouts,
): ServiceRegistration<typeof OrderServiceService> {
  const scoped = <R extends { subscriberId: string }>(request: R, call: Parameters<typeof forScopedSubscriber>[0]) =>
    forScopedSubscriber(call, request, whereabouts);
  return {
    definition: OrderServiceService,
    policy: ordersPolicy,
    handlers: {
      createOrder: async (request, call) => createOrder(ctx, await scoped(withActingAgent(call, request), call), call),
      confirmOrder: async (request, call) => confirmOrder(ctx, await scoped(request, call), call),
      cancelOrder: async (request, call) => cancelOrder(ctx, await scoped(request, call), call.requestId),
      getOrder: async (request, call) => {
        const answer = await getOrder(ctx.db, await scopedGetOrder(call, request, whereabouts));
        await assertOrderInScope(call, answer.order?.subscriberId ?? "", whereabouts);
        return answer;
      },
      listOrders: async (request, call) => {
        const scope = await scopedListOrders(call, request, whereabouts);
        return listOrders(ctx.db, scope.request, scope.provinceCode);
      },
      listProducts: async (request, call) => listProducts(ctx.db, await scoped(request, call)),
      unsubscribe: async (request, call) => unsubscribe(ctx.db, await scoped(request, call), call.requestId),
      convertTrial: async (request, call) => convertTrial(ctx.db, await scoped(request, call)),
    },
  };
}
