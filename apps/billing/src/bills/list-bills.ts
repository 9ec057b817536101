import type { ListBillsRequest, ListBillsResponse } from "@omnihall/proto/omnihall/billing/v1/billing";
import type { BillingDb } from "../db.js";
import { requireSubscriberId } from "../errors.js";
import { keysetPage } from "../paging.js";
import { billMessage } from "./bill-message.js";

export async function listBills(db: BillingDb, request: ListBillsRequest): Promise<ListBillsResponse> {
  requireSubscriberId(request.subscriberId);
  const { rows, nextPageToken } = await keysetPage(
    request,
    { default: 12, max: 60 },
    { subscriberId: request.subscriberId },
    (after, take) =>
      db.bill.findMany({
        where: { subscriberId: request.subscriberId, ...(after ? { billingMonth: { lt: after } } : {}) },
        orderBy: { billingMonth: "desc" },
        take,
      }),
    (row) => row.billingMonth,
  );
  return { bills: rows.map((row) => billMessage(row)), nextPageToken };
}
