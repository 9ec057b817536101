import type { ListChargesRequest, ListChargesResponse } from "@omnihall/proto/omnihall/billing/v1/billing";
import type { BillingDb } from "../db.js";
import { requireSubscriberId } from "../errors.js";
import { keysetPage } from "../paging.js";
import { chargeMessage } from "./charge-message.js";

export async function listCharges(db: BillingDb, request: ListChargesRequest): Promise<ListChargesResponse> {
  requireSubscriberId(request.subscriberId);
  const filters = { subscriberId: request.subscriberId, ...(request.orderId ? { orderId: request.orderId } : {}) };
  const { rows, nextPageToken } = await keysetPage(
    request,
    { default: 20, max: 100 },
    filters,
    (after, take) =>
      db.charge.findMany({
        where: { ...filters, ...(after ? { id: { lt: after } } : {}) },
        orderBy: { id: "desc" },
        take,
      }),
    (row) => row.id,
  );
  return { charges: rows.map(chargeMessage), nextPageToken };
}
