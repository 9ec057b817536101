import type { GetOrderRequest, ListOrdersRequest } from "@omnihall/proto/omnihall/orders/v1/orders";
import { hasIdShape } from "@omnihall/ids";
import {
  provinceScopeOf,
  subscriberInScope,
  subscriberRequestInScope,
  type CallContext,
  type Whereabouts,
} from "@omnihall/service-kit";

type Scope = Pick<CallContext, "party">;
export type SubscriberWhereabouts = (subscriberId: string) => Promise<Whereabouts | undefined>;

/**
 * A request naming a subscriber, held to the acting party: a hall acting for a subscriber works only on them
 * (an empty id means them), an agent or operator only on subscribers of their territory or province. The
 * handlers then find only that subscriber's orders and products, so nobody reaches another's by id.
 */
export function forScopedSubscriber<R extends { subscriberId: string }>(
  ctx: Scope,
  request: R,
  whereabouts: SubscriberWhereabouts,
): Promise<R> {
  return subscriberRequestInScope(ctx, request, whereabouts, (id) => hasIdShape(id, "sub"));
}

/**
 * GetOrder's request for the acting party: a subscriber's own orders only (another's is not found). An agent or
 * operator may leave the subscriber out; the order found is then checked against their area (assertOrderInScope).
 */
export async function scopedGetOrder(
  ctx: Scope,
  request: GetOrderRequest,
  whereabouts: SubscriberWhereabouts,
): Promise<GetOrderRequest> {
  if (ctx.party?.kind === "subscriber" || (ctx.party && request.subscriberId !== "")) {
    return forScopedSubscriber(ctx, request, whereabouts);
  }
  return request;
}

export async function assertOrderInScope(ctx: Scope, subscriberId: string, whereabouts: SubscriberWhereabouts) {
  if (ctx.party) await subscriberInScope(ctx, subscriberId, whereabouts);
}

/**
 * ListOrders for the acting party: a subscriber's own; an agent's for a named subscriber of their territory; an
 * operator's for a named subscriber of their province or, naming none, every order of their province (HQ: all).
 */
export async function scopedListOrders(
  ctx: Scope,
  request: ListOrdersRequest,
  whereabouts: SubscriberWhereabouts,
): Promise<{ request: ListOrdersRequest; provinceCode?: string }> {
  if (!ctx.party) return { request };
  if (ctx.party.kind === "operator" && request.subscriberId === "") {
    return { request, provinceCode: provinceScopeOf(ctx) };
  }
  return { request: await forScopedSubscriber(ctx, request, whereabouts) };
}

/**
 * The agent an order is credited to is the one acting, never what a hall's request says: a field agent's own id,
 * none for a subscriber's own order. Services (campaigns) name it as they know it.
 */
export function withActingAgent<R extends { agentId: string }>(ctx: Scope, request: R): R {
  if (!ctx.party) return request;
  return { ...request, agentId: ctx.party.kind === "agent" ? ctx.party.agentId : "" };
}
