import { preparedLookup } from "@omnihall/db";
import type { GetBalanceRequest, GetBalanceResponse } from "@omnihall/proto/omnihall/billing/v1/billing";
import type { BillingDb } from "../db.js";
import { accountNotFound, requireSubscriberId } from "../errors.js";

// Every balance screen and SMS asks this: a prepared statement on the pool rather than Prisma, coalesced under load
// (see preparedLookup).
// int8 arrives as text (pg's default parser would lose precision past 2^53 if it made it a number).
const accountBySubscriber = preparedLookup<{ subscriberId: string; balanceFen: string; updatedAt: Date }>(
  "billing_accounts_by_subscriber",
  `SELECT subscriber_id AS "subscriberId", balance_fen::text AS "balanceFen", updated_at AS "updatedAt"
   FROM account WHERE subscriber_id = ANY($1::text[])`,
  (row) => row.subscriberId,
);

export async function getBalance(db: BillingDb, request: GetBalanceRequest): Promise<GetBalanceResponse> {
  requireSubscriberId(request.subscriberId);
  const account = await accountBySubscriber(db, request.subscriberId);
  if (!account) throw accountNotFound();
  return { subscriberId: account.subscriberId, balanceFen: BigInt(account.balanceFen), updateTime: account.updatedAt };
}
