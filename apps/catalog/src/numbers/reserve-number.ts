import { ReserveNumberRequest, ReserveNumberResponse } from "@omnihall/proto/omnihall/catalog/v1/catalog";
import type { CatalogDeps } from "../deps.js";
import { channelInvalid, msisdnMalformed, numberNotAvailable, numberNotFound } from "../errors.js";
import { runOnce } from "../idempotency/request-log.js";
import { channelName, isChannel } from "../proto-enums.js";
import { MSISDN, newReservationId, reservationFromRow } from "./reservation-record.js";

export async function reserveNumber(
  { db, reservationTtlSeconds }: CatalogDeps,
  request: ReserveNumberRequest,
): Promise<ReserveNumberResponse> {
  const call = {
    rpc: "ReserveNumber",
    request,
    requestCodec: ReserveNumberRequest,
    responseCodec: ReserveNumberResponse,
  };
  return runOnce(db, call, async (tx) => {
    if (!MSISDN.test(request.msisdn)) throw msisdnMalformed("msisdn");
    if (!isChannel(request.channel)) throw channelInvalid("channel");
    const reservationId = newReservationId();
    // One conditional UPDATE decides who gets the number: concurrent reservations queue on the row lock and
    // re-check the condition after the winner commits, so exactly one of them finds the number free.
    const held = await tx.$queryRaw<Array<{ held_until: Date }>>`
      UPDATE pool_number
      SET held_by = ${reservationId}, held_until = now() + make_interval(secs => ${reservationTtlSeconds}::double precision)
      WHERE msisdn = ${request.msisdn}
        AND sold_order_id IS NULL
        AND (held_until IS NULL OR held_until <= now())
      RETURNING held_until`;
    if (held.length === 0) {
      const exists = await tx.poolNumber.findUnique({ where: { msisdn: request.msisdn }, select: { msisdn: true } });
      throw exists ? numberNotAvailable(request.msisdn) : numberNotFound(request.msisdn);
    }
    const row = await tx.numberReservation.create({
      data: {
        id: reservationId,
        msisdn: request.msisdn,
        channel: channelName(request.channel),
        expiresAt: held[0]!.held_until,
      },
      include: { number: true },
    });
    return { reservation: reservationFromRow(row) };
  });
}
