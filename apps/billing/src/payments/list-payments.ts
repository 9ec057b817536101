import type { ListPaymentsRequest, ListPaymentsResponse } from "@omnihall/proto/omnihall/billing/v1/billing";
import type { BillingDb } from "../db.js";
import { requireSubscriberId } from "../errors.js";
import { keysetPage } from "../paging.js";
import { paymentMessage } from "./payment-message.js";

export async function listPayments(db: BillingDb, request: ListPaymentsRequest): Promise<ListPaymentsResponse> {
  requireSubscriberId(request.subscriberId);
  const { rows, nextPageToken } = await keysetPage(
    request,
    { default: 20, max: 100 },
    { subscriberId: request.subscriberId },
    (after, take) =>
      db.payment.findMany({
        where: { subscriberId: request.subscriberId, ...(after ? { id: { lt: after } } : {}) },
        orderBy: { id: "desc" },
        take,
      }),
    (row) => row.id,
  );
  return { payments: rows.map(paymentMessage), nextPageToken };
}
