import type {
  ListPointsTransactionsRequest,
  ListPointsTransactionsResponse,
} from "@omnihall/proto/omnihall/billing/v1/points";
import type { BillingDb } from "../db.js";
import { requireSubscriberId } from "../errors.js";
import { keysetPage } from "../paging.js";
import { pointsTransactionMessage } from "./points-messages.js";

export async function listPointsTransactions(
  db: BillingDb,
  request: ListPointsTransactionsRequest,
): Promise<ListPointsTransactionsResponse> {
  requireSubscriberId(request.subscriberId);
  const filters = { subscriberId: request.subscriberId };
  const { rows, nextPageToken } = await keysetPage(
    request,
    { default: 20, max: 100 },
    filters,
    (after, take) =>
      db.pointsTransaction.findMany({
        where: { ...filters, ...(after ? { id: { lt: after } } : {}) },
        orderBy: { id: "desc" },
        take,
      }),
    (row) => row.id,
  );
  return { transactions: rows.map(pointsTransactionMessage), nextPageToken };
}
