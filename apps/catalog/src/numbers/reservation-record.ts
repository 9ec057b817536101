import { hasIdShape, newId } from "@omnihall/ids";
import { ReservationState, type NumberReservation } from "@omnihall/proto/omnihall/catalog/v1/catalog";
import type { NumberReservation as ReservationRow, PoolNumber as PoolNumberRow } from "../generated/prisma/client.js";
import { channelFromName } from "../proto-enums.js";
import type { CatalogTx } from "../db.js";
import { reservationIdMalformed, reservationNotFound } from "../errors.js";

export const MSISDN = /^1[3-9]\d{9}$/;

export function newReservationId(): string {
  return newId("nrs");
}

export function poolNumberFromRow(row: PoolNumberRow) {
  return { msisdn: row.msisdn, provinceCode: row.provinceCode, selectionFeeFen: row.selectionFeeFen };
}

export function reservationFromRow(
  row: ReservationRow & { number: PoolNumberRow },
  now = new Date(),
): NumberReservation {
  const state =
    row.state === "CONSUMED"
      ? ReservationState.RESERVATION_STATE_CONSUMED
      : row.state === "RELEASED"
        ? ReservationState.RESERVATION_STATE_RELEASED
        : row.expiresAt <= now
          ? ReservationState.RESERVATION_STATE_EXPIRED
          : ReservationState.RESERVATION_STATE_ACTIVE;
  return {
    reservationId: row.id,
    number: poolNumberFromRow(row.number),
    state,
    channel: channelFromName(row.channel),
    createTime: row.createdAt,
    expireTime: row.expiresAt,
    orderId: row.orderId ?? "",
  };
}

/** The reservation, locked for the rest of the transaction; NOT_FOUND or INVALID_ARGUMENT otherwise. */
export async function lockReservation(tx: CatalogTx, reservationId: string) {
  if (!hasIdShape(reservationId, "nrs")) throw reservationIdMalformed();
  await tx.$queryRaw`SELECT 1 FROM number_reservation WHERE id = ${reservationId} FOR UPDATE`;
  const row = await tx.numberReservation.findUnique({ where: { id: reservationId }, include: { number: true } });
  if (!row) throw reservationNotFound(reservationId);
  return row;
}
