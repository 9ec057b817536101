import type { GetBalanceRequest, GetBalanceResponse } from "@omnihall/proto/omnihall/billing/v1/billing";
import type { BillingDb } from "../db.js";
import { accountNotFound, requireSubscriberId } from "../errors.js";

export async function getBalance(db: BillingDb, request: GetBalanceRequest): Promise<GetBalanceResponse> {
  requireSubscriberId(request.subscriberId);
  const account = await db.account.findUnique({ where: { subscriberId: request.subscriberId } });
  if (!account) throw accountNotFound();
  return { subscriberId: account.subscriberId, balanceFen: account.balanceFen, updateTime: account.updatedAt };
}
