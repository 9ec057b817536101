import { newId } from "@omnihall/ids";
import type { BillingTx } from "../db.js";
import type { PointsTransactionKind } from "../generated/prisma/client.js";
import { pointsEarnedFor, pointsExpiryOf } from "./points-rules.js";

/**
 * The points ledger, for use inside a transaction. Invariant: account.points_balance is the sum of the
 * subscriber's lots' remaining points, and every change of it writes one points_transaction row. Each function
 * locks the account row first (callers that already hold it just take it again), so changes of one subscriber's
 * points are serialised and every path takes the account lock before any other row lock.
 */

async function lockAccount(tx: BillingTx, subscriberId: string): Promise<bigint | undefined> {
  const [account] = await tx.$queryRaw<{ points_balance: bigint }[]>`
    SELECT points_balance FROM account WHERE subscriber_id = ${subscriberId} FOR UPDATE`;
  return account?.points_balance;
}

/** Records a change of the balance already applied to the lots: moves the account balance and writes the statement. */
async function record(
  tx: BillingTx,
  entry: {
    subscriberId: string;
    kind: PointsTransactionKind;
    points: bigint;
    descriptionZh: string;
    descriptionEn: string;
    chargeId?: string;
    redemptionId?: string;
  },
): Promise<bigint> {
  const [account] = await tx.$queryRaw<{ points_balance: bigint }[]>`
    UPDATE account SET points_balance = points_balance + ${entry.points}
    WHERE subscriber_id = ${entry.subscriberId}
    RETURNING points_balance`;
  await tx.pointsTransaction.create({
    data: { id: newId("ptx"), ...entry, balanceAfter: account!.points_balance },
  });
  return account!.points_balance;
}

/** Takes up to `points` from the subscriber's lots, soonest-expiring first; returns how many it took. */
async function takeFromLots(tx: BillingTx, subscriberId: string, points: bigint): Promise<bigint> {
  if (points <= 0n) return 0n;
  const [taken] = await tx.$queryRaw<{ taken: bigint | null }[]>`
    WITH ordered AS (
      SELECT id, remaining_points,
        sum(remaining_points) OVER (ORDER BY expires_at, id) - remaining_points AS before
      FROM points_lot
      WHERE subscriber_id = ${subscriberId} AND remaining_points > 0
    ), taking AS (
      SELECT id, LEAST(remaining_points, ${points}::bigint - before) AS points
      FROM ordered WHERE before < ${points}::bigint
    ), updated AS (
      UPDATE points_lot l SET remaining_points = l.remaining_points - t.points
      FROM taking t WHERE l.id = t.id
    )
    SELECT sum(points)::bigint AS taken FROM taking`;
  return taken?.taken ?? 0n;
}

/** Earns the points of a completed charge, in the charge's own transaction. */
export async function earnPointsForCharge(
  tx: BillingTx,
  charge: {
    id: string;
    subscriberId: string;
    amountFen: bigint;
    descriptionZh: string;
    descriptionEn: string;
    createdAt: Date;
  },
): Promise<void> {
  const points = pointsEarnedFor(charge.amountFen);
  if (points === 0n) return;
  await lockAccount(tx, charge.subscriberId);
  await tx.pointsLot.create({
    data: {
      id: newId("plot"),
      subscriberId: charge.subscriberId,
      chargeId: charge.id,
      earnedPoints: points,
      remainingPoints: points,
      earnedAt: charge.createdAt,
      expiresAt: pointsExpiryOf(charge.createdAt),
    },
  });
  await record(tx, {
    subscriberId: charge.subscriberId,
    kind: "EARN",
    points,
    descriptionZh: `消费积分：${charge.descriptionZh}`,
    descriptionEn: `Points for ${charge.descriptionEn}`,
    chargeId: charge.id,
  });
}

/**
 * Takes back what a refunded charge earned, in the refund's own transaction: first what is left of the charge's
 * own lot, then — for points of it already spent — from the other lots, soonest-expiring first. The balance never
 * goes below zero: points already spent and not covered by others are forgiven. Points of the charge that already
 * expired are not taken twice.
 */
export async function reversePointsForCharge(
  tx: BillingTx,
  charge: { id: string; subscriberId: string; descriptionZh: string; descriptionEn: string },
  now: Date,
): Promise<void> {
  await lockAccount(tx, charge.subscriberId);
  const lot = await tx.pointsLot.findUnique({ where: { chargeId: charge.id } });
  if (!lot) return;
  await tx.pointsLot.update({ where: { id: lot.id }, data: { remainingPoints: 0n } });
  const spent = lot.expiresAt > now ? lot.earnedPoints - lot.remainingPoints : 0n;
  const reversed = lot.remainingPoints + (await takeFromLots(tx, charge.subscriberId, spent));
  if (reversed === 0n) return;
  await record(tx, {
    subscriberId: charge.subscriberId,
    kind: "REVERSE",
    points: -reversed,
    descriptionZh: `退款扣回积分：${charge.descriptionZh}`,
    descriptionEn: `Points taken back on refund of ${charge.descriptionEn}`,
    chargeId: charge.id,
  });
}

/**
 * Expires the subscriber's lots due by `now`, as one EXPIRE transaction; returns the points expired. Under the
 * account lock, a lot expires once: a second sweep (or a redemption) finds it empty.
 */
export async function expireDuePoints(tx: BillingTx, subscriberId: string, now: Date): Promise<bigint> {
  if ((await lockAccount(tx, subscriberId)) === undefined) return 0n;
  const [due] = await tx.$queryRaw<{ points: bigint | null }[]>`
    WITH due AS (
      SELECT id, remaining_points FROM points_lot
      WHERE subscriber_id = ${subscriberId} AND expires_at <= ${now} AND remaining_points > 0
    ), emptied AS (
      UPDATE points_lot SET remaining_points = 0 WHERE id IN (SELECT id FROM due)
    )
    SELECT sum(remaining_points)::bigint AS points FROM due`;
  const points = due?.points ?? 0n;
  if (points === 0n) return 0n;
  await record(tx, {
    subscriberId,
    kind: "EXPIRE",
    points: -points,
    descriptionZh: "积分到期清零",
    descriptionEn: "Points expired",
  });
  return points;
}

/**
 * Spends points on a redemption, soonest-expiring first, after expiring what is due. Returns the balance after,
 * or the balance available when it does not cover `points` (nothing is spent then).
 */
export async function spendPoints(
  tx: BillingTx,
  spending: {
    subscriberId: string;
    points: bigint;
    redemptionId: string;
    descriptionZh: string;
    descriptionEn: string;
  },
  now: Date,
): Promise<{ spent: true; balanceAfter: bigint } | { spent: false; available: bigint }> {
  await expireDuePoints(tx, spending.subscriberId, now);
  const available = (await lockAccount(tx, spending.subscriberId)) ?? 0n;
  if (available < spending.points) return { spent: false, available };
  await takeFromLots(tx, spending.subscriberId, spending.points);
  const balanceAfter = await record(tx, {
    subscriberId: spending.subscriberId,
    kind: "REDEEM",
    points: -spending.points,
    descriptionZh: spending.descriptionZh,
    descriptionEn: spending.descriptionEn,
    redemptionId: spending.redemptionId,
  });
  return { spent: true, balanceAfter };
}
