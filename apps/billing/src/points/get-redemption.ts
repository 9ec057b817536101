import type { GetRedemptionRequest, GetRedemptionResponse } from "@omnihall/proto/omnihall/billing/v1/points";
import type { BillingDb } from "../db.js";
import { requireSubscriberId } from "../errors.js";
import { redemptionMessage } from "./points-messages.js";
import { redemptionNotFound, requireRedemptionId } from "./points-errors.js";

/** Another subscriber's redemption is "not found", as for bills. */
export async function getRedemption(db: BillingDb, request: GetRedemptionRequest): Promise<GetRedemptionResponse> {
  requireSubscriberId(request.subscriberId);
  requireRedemptionId(request.redemptionId);
  const row = await db.redemption.findFirst({
    where: { id: request.redemptionId, subscriberId: request.subscriberId },
  });
  if (!row) throw redemptionNotFound();
  return { redemption: redemptionMessage(row) };
}
