import { enqueue } from "@omnihall/bus";
import { isUniqueViolation } from "@omnihall/db";
import { Channel, channelToJSON } from "@omnihall/proto/omnihall/common/v1/common";
import type { Subscriber } from "@omnihall/proto/omnihall/customer/v1/customer";
import { SubscriberStatus } from "@omnihall/proto/omnihall/customer/v1/customer";
import {
  confirmationMethodToJSON,
  type CreateOrderRequest,
  type CreateOrderResponse,
} from "@omnihall/proto/omnihall/orders/v1/orders";
import type { CallContext } from "@omnihall/service-kit";
import type { Order as OrderRow } from "../generated/prisma/client.js";
import { callFailureOf, refusalOf } from "../dependencies/call-errors.js";
import { OrderErrors, requireRequestId } from "../errors.js";
import { ConfirmationRequested, eventHeaders } from "../events.js";
import { hasIdShape, newId } from "@omnihall/ids";
import type { OrdersContext } from "../orders-context.js";
import {
  confirmationMethodFor,
  confirmationText,
  hashConfirmationCode,
  needsCode,
  newConfirmationCode,
} from "./confirmation.js";
import { campaignChargeFen, checkCampaign } from "./campaign-check.js";
import { checkEligibility, eligibilityError, subscriberFacts } from "./eligibility.js";
import { fingerprint } from "./fingerprint.js";
import { termsOf, type OfferingTerms } from "./offering-terms.js";
import { orderToProto, type StoredInstallation } from "./order-view.js";
import { recordNewOrder, transitionOrder } from "./transition-order.js";

/**
 * Takes an order: checks it against the catalog, stores it and asks the subscriber to confirm. The channel is the
 * call's (a hall's own, which the kit also writes into the request): it decides how the subscriber confirms.
 */
export async function createOrder(
  ctx: OrdersContext,
  request: CreateOrderRequest,
  call: Pick<CallContext, "requestId" | "channel">,
): Promise<CreateOrderResponse> {
  const { requestId, channel } = call;
  validate({ ...request, channel });
  const requestFingerprint = fingerprint({ ...request, requestId: undefined });
  const earlier = await ctx.db.order.findUnique({ where: { requestId: request.requestId } });
  if (earlier) return { order: orderToProto(sameRequestOrThrow(earlier, requestFingerprint)) };

  const now = new Date();
  const subscriber = await fetchSubscriber(ctx, request.subscriberId);
  const facts = await subscriberFacts(ctx.db, subscriber, now);
  const answer = await callOrRefuse(() =>
    checkEligibility(ctx.deps.catalog, {
      offeringCode: request.offeringCode,
      channel,
      facts,
      characteristics: request.characteristics,
      deadlineMs: ctx.dependencyDeadlineMs,
    }),
  );
  const refused = eligibilityError(answer);
  if (refused) throw refused;
  const campaign = await checkCampaign(ctx, { ...request, channel }, subscriber);
  const catalogTerms = termsOf(answer.offering!);
  // An order from a campaign costs the campaign's price (the catalog's when the campaign sets none).
  const offeredTerms = campaign
    ? { ...catalogTerms, chargeFen: String(campaignChargeFen(BigInt(catalogTerms.chargeFen), campaign)) }
    : catalogTerms;
  const installation = installationFor(offeredTerms, request, subscriber, now);
  if (offeredTerms.needsNumber && request.number === "") throw OrderErrors.numberRequired();

  const orderId = newId("ord");
  const reservation = offeredTerms.needsNumber ? await reserveNumber(ctx, { ...request, channel }) : undefined;
  // A memorable number carries a selection fee on top of the card's price.
  const terms = reservation
    ? { ...offeredTerms, chargeFen: String(BigInt(offeredTerms.chargeFen) + reservation.selectionFeeFen) }
    : offeredTerms;
  const numberReservationId = reservation?.reservationId ?? "";
  const method = confirmationMethodFor(channel);
  const code = needsCode(method) ? newConfirmationCode() : undefined;
  const expiresAt = new Date(now.getTime() + ctx.confirmationTtlMs);
  const headers = eventHeaders(requestId);

  try {
    const order = await ctx.db.$transaction(async (tx) => {
      const acknowledged = await recordNewOrder(
        tx,
        {
          id: orderId,
          requestId: request.requestId,
          fingerprint: requestFingerprint,
          subscriberId: subscriber.subscriberId,
          msisdn: subscriber.msisdn,
          provinceCode: subscriber.provinceCode,
          timeZone: subscriber.timeZone,
          offeringCode: terms.code,
          offering: terms,
          priceFen: BigInt(terms.chargeFen),
          channel: channelToJSON(channel),
          agentId: request.agentId,
          campaignId: request.campaignId,
          confirmationMethod: confirmationMethodToJSON(method),
          confirmationCodeHash: code ? hashConfirmationCode(orderId, code) : null,
          confirmExpiresAt: expiresAt,
          number: request.number,
          numberReservationId,
          characteristics: request.characteristics,
          installation,
        },
        requestId,
      );
      if (code) {
        await enqueue(
          tx,
          ConfirmationRequested,
          {
            orderId,
            subscriberId: subscriber.subscriberId,
            msisdn: subscriber.msisdn,
            method,
            code,
            text: confirmationText({
              method,
              code,
              offeringName: { zhCn: terms.nameZh, en: terms.nameEn },
              priceFen: BigInt(terms.chargeFen),
              validMinutes: Math.round(ctx.confirmationTtlMs / 60_000),
            }),
            expireTime: expiresAt,
            channel,
          },
          { headers },
        );
      }
      return transitionOrder(tx, acknowledged, "PENDING", { requestId });
    });
    return { order: orderToProto(order) };
  } catch (error) {
    // A concurrent retry with the same request_id got there first: answer with its order.
    if (!isUniqueViolation(error, "order_request_id_key")) throw error;
    const first = await ctx.db.order.findUniqueOrThrow({ where: { requestId: request.requestId } });
    return { order: orderToProto(sameRequestOrThrow(first, requestFingerprint)) };
  }
}

function validate(request: CreateOrderRequest): void {
  requireRequestId(request.requestId);
  if (!hasIdShape(request.subscriberId, "sub")) throw OrderErrors.subscriberIdMalformed();
  if (request.offeringCode.trim() === "") throw OrderErrors.offeringCodeRequired();
  if (request.campaignId !== "" && !hasIdShape(request.campaignId, "cmp")) throw OrderErrors.campaignIdMalformed();
  if (request.channel === Channel.CHANNEL_UNSPECIFIED || channelToJSON(request.channel) === "UNRECOGNIZED") {
    throw OrderErrors.channelRequired();
  }
}

function sameRequestOrThrow(order: OrderRow, requestFingerprint: string): OrderRow {
  if (order.fingerprint !== requestFingerprint) throw OrderErrors.requestIdReused();
  return order;
}

/**
 * Runs a call to another service while taking an order: its refusals (NOT_FOUND OFFERING_NOT_FOUND…) become
 * this service's errors with the same reason where the contract names it; an outage becomes UNAVAILABLE.
 */
async function callOrRefuse<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    const refusal = refusalOf(error);
    if (refusal?.reason === "OFFERING_NOT_FOUND" || refusal?.reason === "OFFERING_CODE_MALFORMED") {
      throw OrderErrors.offeringNotFound();
    }
    if (refusal?.reason === "NUMBER_NOT_AVAILABLE" || refusal?.reason === "NUMBER_NOT_FOUND") {
      throw OrderErrors.numberNotAvailable();
    }
    if (refusal?.reason === "MSISDN_MALFORMED") throw OrderErrors.numberNotAvailable();
    if (refusal?.reason === "SUBSCRIBER_NOT_FOUND") throw OrderErrors.subscriberNotFound();
    if (refusal?.reason === "SUBSCRIBER_ID_MALFORMED") throw OrderErrors.subscriberIdMalformed();
    if (callFailureOf(error)) throw OrderErrors.dependencyUnavailable();
    throw error;
  }
}

async function fetchSubscriber(ctx: OrdersContext, subscriberId: string): Promise<Subscriber> {
  const { subscriber } = await callOrRefuse(() =>
    ctx.deps.customer.getSubscriber({ subscriberId }, { deadlineMs: ctx.dependencyDeadlineMs }),
  );
  if (!subscriber) throw OrderErrors.subscriberNotFound();
  if (subscriber.status !== SubscriberStatus.SUBSCRIBER_STATUS_ACTIVE) {
    throw OrderErrors.subscriberNotEligible(["SUBSCRIBER_INACTIVE"], {
      "zh-CN": "您的号码当前不在正常使用状态，暂不能订购。",
      en: "Your number is not in service, so it cannot order now.",
    });
  }
  return subscriber;
}

function installationFor(
  terms: OfferingTerms,
  request: CreateOrderRequest,
  subscriber: Subscriber,
  now: Date,
): StoredInstallation | undefined {
  if (!terms.needsInstallation) return undefined;
  const appointment = request.installation;
  if (!appointment) throw OrderErrors.installationRequired();
  if (appointment.address.trim() === "" || !appointment.appointmentTime || appointment.appointmentTime <= now) {
    throw OrderErrors.installationInvalid();
  }
  return {
    address: appointment.address.trim(),
    appointmentTime: appointment.appointmentTime.toISOString(),
    contactMsisdn: appointment.contactMsisdn || subscriber.msisdn,
  };
}

/**
 * Holds the chosen number until the order completes. The reservation's request id comes from the order's
 * request_id, so a retried CreateOrder gets the same reservation rather than finding its own number taken.
 */
async function reserveNumber(
  ctx: OrdersContext,
  request: CreateOrderRequest,
): Promise<{ reservationId: string; selectionFeeFen: bigint }> {
  const { reservation } = await callOrRefuse(() =>
    ctx.deps.catalog.reserveNumber(
      { requestId: `orders:${request.requestId}:number`, msisdn: request.number, channel: request.channel },
      { deadlineMs: ctx.dependencyDeadlineMs },
    ),
  );
  if (!reservation) throw OrderErrors.numberNotAvailable();
  return { reservationId: reservation.reservationId, selectionFeeFen: reservation.number?.selectionFeeFen ?? 0n };
}
