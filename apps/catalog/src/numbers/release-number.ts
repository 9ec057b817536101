import {
  ReleaseNumberRequest,
  ReleaseNumberResponse,
  ReservationState,
} from "@omnihall/proto/omnihall/catalog/v1/catalog";
import type { CatalogDeps } from "../deps.js";
import { reservationConsumed } from "../errors.js";
import { runOnce } from "../idempotency/request-log.js";
import { lockReservation, reservationFromRow } from "./reservation-record.js";

export async function releaseNumber(
  { db }: CatalogDeps,
  request: ReleaseNumberRequest,
): Promise<ReleaseNumberResponse> {
  const call = {
    rpc: "ReleaseNumber",
    request,
    requestCodec: ReleaseNumberRequest,
    responseCodec: ReleaseNumberResponse,
  };
  return runOnce(db, call, async (tx) => {
    const row = await lockReservation(tx, request.reservationId);
    const current = reservationFromRow(row);
    if (current.state === ReservationState.RESERVATION_STATE_CONSUMED) throw reservationConsumed();
    // Released or expired already: the number is free, nothing to do.
    if (current.state !== ReservationState.RESERVATION_STATE_ACTIVE) return { reservation: current };
    await tx.poolNumber.updateMany({
      where: { msisdn: row.msisdn, heldBy: row.id },
      data: { heldBy: null, heldUntil: null },
    });
    const released = await tx.numberReservation.update({
      where: { id: row.id },
      data: { state: "RELEASED", releasedAt: new Date() },
      include: { number: true },
    });
    return { reservation: reservationFromRow(released) };
  });
}
