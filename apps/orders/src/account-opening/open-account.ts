import { createHash } from "node:crypto";
import { isUniqueViolation } from "@omnihall/db";
import { newId } from "@omnihall/ids";
import { OfferingKind, OfferingLifecycle } from "@omnihall/proto/omnihall/catalog/v1/catalog";
import { type Channel, channelFromJSON, channelToJSON } from "@omnihall/proto/omnihall/common/v1/common";
import type { OpenAccountRequest, OpenAccountResponse } from "@omnihall/proto/omnihall/orders/v1/account_opening";
import { assertPlaceInScope, type CallContext } from "@omnihall/service-kit";
import { callFailureOf, refusalOf } from "../dependencies/call-errors.js";
import type { AccountOpening as OpeningRow } from "../generated/prisma/client.js";
import { fingerprint } from "../orders/fingerprint.js";
import { FINAL_FAILURES, OpeningErrors } from "./account-opening-errors.js";
import type { OpeningContext } from "./opening-context.js";
import { openingView } from "./opening-view.js";
import { iccidProblem, idNumberProblem, normalizeIccid, normalizeIdNumber } from "./identity-checks.js";

const MAX_PHOTO_BYTES = 512 * 1024;
const PHOTO_TYPES = new Set(["image/jpeg", "image/png", "image/webp"]);
const MSISDN = /^1\d{10}$/;

type Call = Pick<CallContext, "party" | "channel">;

interface Opening {
  requestId: string;
  channel: Channel;
  holderName: string;
  idNumber: string;
  address: string;
  photo: { contentType: string; content: Uint8Array };
  number: string;
  iccid: string;
  planCode: string;
  provinceCode: string;
  city: string;
  agentId: string;
}

/**
 * OpenAccount. The opening is recorded first (with its request id, so every replay finds it), then carried
 * through its steps — plan on sale, number held, subscriber created, number sold — each step idempotent by a
 * request id derived from the opening's, so a replay after an outage continues where the first attempt stopped
 * and a replay after success changes nothing. No transaction spans a call to another service.
 */
export async function openAccount(
  ctx: OpeningContext,
  request: OpenAccountRequest,
  call: Call,
): Promise<OpenAccountResponse> {
  const opening = validate(request, call, ctx.now());
  const requestFingerprint = fingerprint({
    ...opening,
    photo: { contentType: opening.photo.contentType, sha256: sha256(opening.photo.content) },
    channel: channelToJSON(opening.channel),
  });
  const row =
    (await findEarlier(ctx, opening.requestId, requestFingerprint)) ?? (await record(ctx, opening, requestFingerprint));
  const done = await carryOn(ctx, row);
  if (done.state === "FAILED") throw (FINAL_FAILURES[done.failureReason] ?? OpeningErrors.numberNotAvailable)();
  return { accountOpening: openingView(done, opening.photo.content.length) };
}

function validate(request: OpenAccountRequest, call: Call, today: Date): Opening {
  const requestId = request.requestId.trim();
  if (requestId === "" || requestId.length > 128) throw OpeningErrors.requestIdRequired();
  const holderName = request.identity?.name.trim() ?? "";
  if (holderName === "") throw OpeningErrors.nameRequired();
  const idNumber = normalizeIdNumber(request.identity?.idNumber ?? "");
  switch (idNumberProblem(idNumber, today)) {
    case "MALFORMED":
      throw OpeningErrors.idNumberMalformed();
    case "CHECKSUM_WRONG":
      throw OpeningErrors.idNumberChecksumWrong();
    case "BIRTH_DATE_INVALID":
      throw OpeningErrors.idNumberBirthDateInvalid();
    case "UNDER_AGE":
      throw OpeningErrors.idHolderUnderAge();
    case undefined:
      break;
  }
  const address = request.identity?.address.trim() ?? "";
  if (address === "") throw OpeningErrors.addressRequired();
  const photo = request.idPhoto;
  if (!photo || photo.content.length === 0) throw OpeningErrors.idPhotoRequired();
  if (photo.content.length > MAX_PHOTO_BYTES) throw OpeningErrors.idPhotoTooLarge();
  if (!PHOTO_TYPES.has(photo.contentType)) throw OpeningErrors.idPhotoTypeUnsupported();
  const number = request.number.trim();
  if (!MSISDN.test(number)) throw OpeningErrors.numberRequired();
  const iccid = normalizeIccid(request.iccid);
  switch (iccidProblem(iccid)) {
    case "MALFORMED":
      throw OpeningErrors.iccidMalformed();
    case "CHECKSUM_WRONG":
      throw OpeningErrors.iccidChecksumWrong();
    case undefined:
      break;
  }
  const planCode = request.planCode.trim();
  if (planCode === "") throw OpeningErrors.planCodeRequired();

  // An agent opens accounts where they work: their own province and city unless they name a place inside it.
  const party = call.party;
  const territory = party?.kind === "agent" ? party.territory : undefined;
  const provinceCode = request.provinceCode.trim().toUpperCase() || territory?.provinceCode || "";
  const city = request.city.trim() || territory?.city || "";
  if (provinceCode === "" || city === "") throw OpeningErrors.provinceRequired();
  assertPlaceInScope(call, { provinceCode, city, ...(territory?.area ? { area: territory.area } : {}) });

  return {
    requestId,
    channel: call.channel,
    holderName,
    idNumber,
    address,
    photo: { contentType: photo.contentType, content: photo.content },
    number,
    iccid,
    planCode,
    provinceCode,
    city,
    agentId: party?.kind === "agent" ? party.agentId : "",
  };
}

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

async function findEarlier(ctx: OpeningContext, requestId: string, requestFingerprint: string) {
  const earlier = await ctx.db.accountOpening.findUnique({ where: { requestId } });
  // The same key with other data (or another agent's key) is never this opening.
  if (earlier && earlier.fingerprint !== requestFingerprint) throw OpeningErrors.requestIdReused();
  return earlier ?? undefined;
}

async function record(ctx: OpeningContext, opening: Opening, requestFingerprint: string): Promise<OpeningRow> {
  const id = newId("aco");
  try {
    return await ctx.db.accountOpening.create({
      data: {
        id,
        requestId: opening.requestId,
        fingerprint: requestFingerprint,
        state: "OPENING",
        number: opening.number,
        iccid: opening.iccid,
        planCode: opening.planCode,
        holderName: opening.holderName,
        idNumber: opening.idNumber,
        address: opening.address,
        provinceCode: opening.provinceCode,
        city: opening.city,
        agentId: opening.agentId,
        channel: channelToJSON(opening.channel),
        photo: { create: { contentType: opening.photo.contentType, content: Buffer.from(opening.photo.content) } },
      },
    });
  } catch (error) {
    // A concurrent replay recorded it first: carry on with that one.
    if (!isUniqueViolation(error, "account_opening_request_id_key")) throw error;
    return (await findEarlier(ctx, opening.requestId, requestFingerprint))!;
  }
}

async function carryOn(ctx: OpeningContext, row: OpeningRow): Promise<OpeningRow> {
  if (row.state !== "OPENING") return row;
  const options = { deadlineMs: ctx.dependencyDeadlineMs };
  const fail = (reason: keyof typeof FINAL_FAILURES) =>
    ctx.db.accountOpening.update({
      where: { id: row.id },
      data: { state: "FAILED", failureReason: reason, updatedAt: ctx.now() },
    });
  let current = row;

  if (current.numberReservationId === "") {
    const planOnSale = await dependency(() => ctx.catalog.getOffering({ code: current.planCode }, options), {
      OFFERING_NOT_FOUND: "gone",
      OFFERING_CODE_MALFORMED: "gone",
    });
    const offering = planOnSale === "gone" ? undefined : planOnSale.offering;
    const channel = current.channel;
    const onSale =
      offering !== undefined &&
      offering.kind === OfferingKind.OFFERING_KIND_PLAN &&
      offering.lifecycle === OfferingLifecycle.OFFERING_LIFECYCLE_ACTIVE &&
      (offering.availability?.provinceCodes.length === 0 ||
        offering.availability?.provinceCodes.includes(current.provinceCode)) &&
      (offering.availability?.channels ?? []).some((offered) => channelToJSON(offered) === channel);
    if (!onSale) return fail("OFFERING_NOT_AVAILABLE");

    const reserved = await dependency(
      () =>
        ctx.catalog.reserveNumber(
          {
            requestId: `orders:${current.id}:number`,
            msisdn: current.number,
            channel: channelFromJSON(current.channel),
          },
          options,
        ),
      { NUMBER_NOT_AVAILABLE: "taken", NUMBER_NOT_FOUND: "taken", MSISDN_MALFORMED: "taken" },
    );
    if (reserved === "taken" || !reserved.reservation) return fail("NUMBER_NOT_AVAILABLE");
    current = await ctx.db.accountOpening.update({
      where: { id: row.id },
      data: {
        numberReservationId: reserved.reservation.reservationId,
        numberFeeFen: reserved.reservation.number?.selectionFeeFen ?? 0n,
        updatedAt: ctx.now(),
      },
    });
  }

  if (current.subscriberId === "") {
    const registered = await dependency(
      () =>
        ctx.registration.registerSubscriber(
          {
            requestId: `orders:${current.id}:subscriber`,
            msisdn: current.number,
            displayName: current.holderName,
            provinceCode: current.provinceCode,
            city: current.city,
            planCode: current.planCode,
            languageCode: "zh-CN",
          },
          options,
        ),
      { MSISDN_TAKEN: "taken" },
    );
    if (registered === "taken" || !registered.subscriber) return fail("NUMBER_NOT_AVAILABLE");
    current = await ctx.db.accountOpening.update({
      where: { id: row.id },
      data: { subscriberId: registered.subscriber.subscriberId, updatedAt: ctx.now() },
    });
  }

  // Selling the held number to this opening; the same opening may sell it again (a replay) with the same answer.
  await dependency(
    () =>
      ctx.catalog.consumeReservation(
        { requestId: `orders:${current.id}:sale`, reservationId: current.numberReservationId, orderId: current.id },
        options,
      ),
    {},
  );
  return ctx.db.accountOpening.update({
    where: { id: row.id },
    data: { state: "OPENED", updatedAt: ctx.now() },
  });
}

/**
 * A call to another service on the way: the refusals named in `outcomes` become that outcome, an outage or any
 * other failure leaves the opening where it is (UNAVAILABLE: a replay continues it).
 */
async function dependency<T, O extends string>(call: () => Promise<T>, outcomes: Record<string, O>): Promise<T | O> {
  try {
    return await call();
  } catch (error) {
    const refusal = refusalOf(error);
    if (refusal && refusal.reason in outcomes) return outcomes[refusal.reason]!;
    if (callFailureOf(error)) throw OpeningErrors.dependencyUnavailable();
    throw error;
  }
}
