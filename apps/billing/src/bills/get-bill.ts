import type { GetBillRequest, GetBillResponse } from "@omnihall/proto/omnihall/billing/v1/billing";
import type { BillingDb } from "../db.js";
import { billNotFound, requireBillId, requireSubscriberId } from "../errors.js";
import { billMessage } from "./bill-message.js";

/** Another subscriber's bill is "not found", never "forbidden": its existence is not ours to reveal. */
export async function getBill(db: BillingDb, request: GetBillRequest): Promise<GetBillResponse> {
  requireSubscriberId(request.subscriberId);
  requireBillId(request.billId);
  const bill = await db.bill.findFirst({
    where: { id: request.billId, subscriberId: request.subscriberId },
    include: { lines: { orderBy: { position: "asc" } } },
  });
  if (!bill) throw billNotFound();
  return { bill: billMessage(bill, bill.lines) };
}
