import { z } from "zod";
import { decodePageToken, encodePageToken, pageSize } from "@omnihall/service-kit";
import { Channel, channelToJSON } from "@omnihall/proto/omnihall/common/v1/common";
import type {
  GetOrderRequest,
  GetOrderResponse,
  ListOrdersRequest,
  ListOrdersResponse,
} from "@omnihall/proto/omnihall/orders/v1/orders";
import type { Prisma } from "../generated/prisma/client.js";
import type { OrdersDb } from "../db.js";
import { OrderErrors } from "../errors.js";
import { hasIdShape } from "@omnihall/ids";
import { orderStateFromProto, type OrderState } from "./order-state.js";
import { orderToProto } from "./order-view.js";

/** One order with its history and milestones; with subscriber_id set, another subscriber's order is not found. */
export async function getOrder(db: OrdersDb, request: GetOrderRequest): Promise<GetOrderResponse> {
  if (!hasIdShape(request.orderId, "ord")) throw OrderErrors.orderIdMalformed();
  if (request.subscriberId !== "" && !hasIdShape(request.subscriberId, "sub")) {
    throw OrderErrors.subscriberIdMalformed();
  }
  const order = await db.order.findUnique({
    where: { id: request.orderId },
    include: { history: { orderBy: { id: "asc" } }, milestones: true },
  });
  if (!order || (request.subscriberId !== "" && order.subscriberId !== request.subscriberId)) {
    throw OrderErrors.orderNotFound();
  }
  return { order: orderToProto(order, { history: order.history, milestones: order.milestones }) };
}

// Keyset position: the last order of the previous page, in (created_at desc, id desc) order.
const positionSchema = z.object({ createdAt: z.iso.datetime(), id: z.string() });

/**
 * Orders newest first, filtered; pages by keyset so a page never skips or repeats rows as new orders arrive.
 * `provinceCode` keeps a province's operator to their province's orders.
 */
export async function listOrders(
  db: OrdersDb,
  request: ListOrdersRequest,
  provinceCode?: string,
): Promise<ListOrdersResponse> {
  if (request.subscriberId !== "" && !hasIdShape(request.subscriberId, "sub")) {
    throw OrderErrors.subscriberIdMalformed();
  }
  if (request.campaignId !== "" && !hasIdShape(request.campaignId, "cmp")) throw OrderErrors.campaignIdMalformed();
  const size = pageSize(request.pageSize, { default: 20, max: 100 });
  const states = request.states.map(orderStateFromProto).filter((state): state is OrderState => state !== undefined);
  const filters = {
    subscriberId: request.subscriberId,
    states: [...states].sort(),
    channel: request.channel === Channel.CHANNEL_UNSPECIFIED ? "" : channelToJSON(request.channel),
    campaignId: request.campaignId,
    ...(provinceCode !== undefined ? { provinceCode } : {}),
  };
  const after = decodePageToken(request.pageToken, positionSchema, filters);

  const where: Prisma.OrderWhereInput = {
    ...(filters.subscriberId ? { subscriberId: filters.subscriberId } : {}),
    ...(states.length > 0 ? { state: { in: states } } : {}),
    ...(filters.channel ? { channel: filters.channel } : {}),
    ...(filters.campaignId ? { campaignId: filters.campaignId } : {}),
    ...(provinceCode !== undefined ? { provinceCode } : {}),
    ...(after
      ? {
          OR: [
            { createdAt: { lt: new Date(after.createdAt) } },
            { createdAt: new Date(after.createdAt), id: { lt: after.id } },
          ],
        }
      : {}),
  };
  const rows = await db.order.findMany({
    where,
    orderBy: [{ createdAt: "desc" }, { id: "desc" }],
    take: size + 1,
    include: { milestones: true },
  });
  const page = rows.slice(0, size);
  const last = page.at(-1);
  return {
    orders: page.map((row) => orderToProto(row, { milestones: row.milestones })),
    nextPageToken:
      rows.length > size && last
        ? encodePageToken({ createdAt: last.createdAt.toISOString(), id: last.id }, filters)
        : "",
  };
}
