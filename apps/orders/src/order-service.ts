import type { ServiceRegistration } from "@omnihall/service-kit";
import { OrderServiceService } from "@omnihall/proto/omnihall/orders/v1/orders";
import { cancelOrder } from "./orders/cancel-order.js";
import { confirmOrder } from "./orders/confirm-order.js";
import { createOrder } from "./orders/create-order.js";
import { getOrder, listOrders } from "./orders/query-orders.js";
import type { OrdersContext } from "./orders-context.js";
import { convertTrial, listProducts, unsubscribe } from "./products/product-requests.js";

/** omnihall.orders.v1.OrderService: each RPC handed to its use case. */
export function orderService(ctx: OrdersContext): ServiceRegistration<typeof OrderServiceService> {
  return {
    definition: OrderServiceService,
    handlers: {
      createOrder: (request, call) => createOrder(ctx, request, call.requestId),
      confirmOrder: (request, call) => confirmOrder(ctx, request, call.requestId),
      cancelOrder: (request, call) => cancelOrder(ctx, request, call.requestId),
      getOrder: (request) => getOrder(ctx.db, request),
      listOrders: (request) => listOrders(ctx.db, request),
      listProducts: (request) => listProducts(ctx.db, request),
      unsubscribe: (request, call) => unsubscribe(ctx.db, request, call.requestId),
      convertTrial: (request) => convertTrial(ctx.db, request),
    },
  };
}
