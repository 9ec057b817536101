import type { GetPointsBalanceRequest, GetPointsBalanceResponse } from "@omnihall/proto/omnihall/billing/v1/points";
import type { BillingDb } from "../db.js";
import { accountNotFound, requireSubscriberId } from "../errors.js";

/** The balance, and the points of it that expire first so a hall can say "N points expire on …". */
export async function getPointsBalance(
  db: BillingDb,
  request: GetPointsBalanceRequest,
  now = new Date(),
): Promise<GetPointsBalanceResponse> {
  requireSubscriberId(request.subscriberId);
  const account = await db.account.findUnique({ where: { subscriberId: request.subscriberId } });
  if (!account) throw accountNotFound();
  // Lots past their expiry that no sweep has emptied yet are still in the account's balance, but not spendable:
  // the next sweep or redemption expires them.
  const due = await db.pointsLot.aggregate({
    where: { subscriberId: request.subscriberId, remainingPoints: { gt: 0n }, expiresAt: { lte: now } },
    _sum: { remainingPoints: true },
  });
  const [next] = await db.pointsLot.groupBy({
    by: ["expiresAt"],
    where: { subscriberId: request.subscriberId, remainingPoints: { gt: 0n }, expiresAt: { gt: now } },
    _sum: { remainingPoints: true },
    orderBy: { expiresAt: "asc" },
    take: 1,
  });
  return {
    subscriberId: account.subscriberId,
    points: account.pointsBalance - (due._sum.remainingPoints ?? 0n),
    expiringPoints: next?._sum.remainingPoints ?? 0n,
    expireTime: next?.expiresAt,
  };
}
