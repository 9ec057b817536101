import type { ListRedemptionsRequest, ListRedemptionsResponse } from "@omnihall/proto/omnihall/billing/v1/points";
import type { BillingDb } from "../db.js";
import { requireSubscriberId } from "../errors.js";
import { keysetPage } from "../paging.js";
import { redemptionMessage } from "./points-messages.js";

export async function listRedemptions(
  db: BillingDb,
  request: ListRedemptionsRequest,
): Promise<ListRedemptionsResponse> {
  requireSubscriberId(request.subscriberId);
  const filters = { subscriberId: request.subscriberId };
  const { rows, nextPageToken } = await keysetPage(
    request,
    { default: 20, max: 100 },
    filters,
    (after, take) =>
      db.redemption.findMany({
        where: { ...filters, ...(after ? { id: { lt: after } } : {}) },
        orderBy: { id: "desc" },
        take,
      }),
    (row) => row.id,
  );
  return { redemptions: rows.map(redemptionMessage), nextPageToken };
}
