import { ConsumeReservationRequest, ConsumeReservationResponse } from "@omnihall/proto/omnihall/catalog/v1/catalog";
import type { CatalogDeps } from "../deps.js";
import { orderIdRequired, reservationConsumed, reservationExpired, reservationReleased } from "../errors.js";
import { runOnce } from "../idempotency/request-log.js";
import { lockReservation, reservationFromRow } from "./reservation-record.js";

export async function consumeReservation(
  { db }: CatalogDeps,
  request: ConsumeReservationRequest,
): Promise<ConsumeReservationResponse> {
  const call = {
    rpc: "ConsumeReservation",
    request,
    requestCodec: ConsumeReservationRequest,
    responseCodec: ConsumeReservationResponse,
  };
  return runOnce(db, call, async (tx) => {
    const orderId = request.orderId.trim();
    if (!orderId) throw orderIdRequired();
    const row = await lockReservation(tx, request.reservationId);
    if (row.state === "CONSUMED") {
      // The order engine may call again after a crash with a fresh request_id: the same order gets the same sale.
      if (row.orderId === orderId) return { reservation: reservationFromRow(row) };
      throw reservationConsumed();
    }
    if (row.state === "RELEASED") throw reservationReleased();
    // The database clock decides expiry, the same clock ReserveNumber set it with.
    const sold = await tx.$executeRaw`
      UPDATE pool_number SET sold_order_id = ${orderId}, sold_at = now(), held_by = NULL, held_until = NULL
      WHERE msisdn = ${row.msisdn} AND held_by = ${row.id} AND held_until > now() AND sold_order_id IS NULL`;
    if (sold === 0) throw reservationExpired();
    const consumed = await tx.numberReservation.update({
      where: { id: row.id },
      data: { state: "CONSUMED", orderId, consumedAt: new Date() },
      include: { number: true },
    });
    return { reservation: reservationFromRow(consumed) };
  });
}
