import type { ActingParty, DomainError } from "@omnihall/service-kit";
import {
  ConfirmationMethod,
  confirmationMethodFromJSON,
  type ConfirmOrderRequest,
  type ConfirmOrderResponse,
} from "@omnihall/proto/omnihall/orders/v1/orders";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import type { Order as OrderRow } from "../generated/prisma/client.js";
import type { Tx } from "../db.js";
import { OrderErrors, requireRequestId } from "../errors.js";
import { hasIdShape } from "@omnihall/ids";
import type { OrdersContext } from "../orders-context.js";
import { firstStep } from "../saga/saga-plan.js";
import { codeMatches, MAX_CONFIRMATION_ATTEMPTS, needsCode } from "./confirmation.js";
import { fingerprint } from "./fingerprint.js";
import { lockOrder } from "./lock-order.js";
import { parseTerms } from "./offering-terms.js";
import { orderToProto } from "./order-view.js";
import { earlierTarget, recordRequest } from "./request-records.js";
import { transitionOrder } from "./transition-order.js";

const OPERATION = "ConfirmOrder";

/**
 * Records the subscriber's confirmation and hands the order to the saga. The rule lives here for every hall:
 * only the ordering subscriber, only while pending and in time, and with the code for code methods. A wrong
 * code or a late confirmation changes the order (attempts counted, order cancelled) even though the call fails,
 * so the outcome is committed first and the error thrown after.
 */
export async function confirmOrder(
  ctx: OrdersContext,
  request: ConfirmOrderRequest,
  call: { requestId?: string; party?: ActingParty; channel: Channel },
): Promise<ConfirmOrderResponse> {
  const { requestId, party } = call;
  requireRequestId(request.requestId);
  if (!hasIdShape(request.subscriberId, "sub")) throw OrderErrors.subscriberIdMalformed();
  if (request.orderId !== "" && !hasIdShape(request.orderId, "ord")) throw OrderErrors.orderIdMalformed();
  if (request.orderId === "" && request.confirmationCode.trim() === "") throw OrderErrors.confirmationCodeRequired();
  const requestFingerprint = fingerprint({ ...request, requestId: undefined });

  const outcome = await ctx.db.$transaction(async (tx): Promise<{ order: OrderRow } | { error: DomainError }> => {
    const order = await findOrder(tx, request);
    if (!order) return { error: OrderErrors.orderNotFound() };
    const earlier = await earlierTarget(tx, {
      requestId: request.requestId,
      operation: OPERATION,
      fingerprint: requestFingerprint,
    });
    if (earlier === order.id) return { order };
    if (earlier) throw OrderErrors.requestIdReused();

    if (order.state !== "PENDING") return { error: notPendingError(order) };
    if (order.confirmExpiresAt <= new Date()) {
      await transitionOrder(tx, order, "CANCELLED", { reason: "CONFIRMATION_EXPIRED", requestId });
      return { error: OrderErrors.confirmationExpired() };
    }
    const method = confirmationMethodFromJSON(order.confirmationMethod);
    // A session confirmation is the logged-in subscriber pressing confirm: staff cannot press it for them.
    if (method === ConfirmationMethod.CONFIRMATION_METHOD_SESSION && party && party.kind !== "subscriber") {
      return { error: OrderErrors.confirmationBySubscriberOnly() };
    }
    const codeless = request.confirmationCode.trim() === "" && repliedFromOwnPhone(method, call, order);
    if (needsCode(method) && !codeless) {
      if (request.confirmationCode.trim() === "") return { error: OrderErrors.confirmationCodeRequired() };
      if (!codeMatches(order.id, request.confirmationCode, order.confirmationCodeHash ?? "")) {
        return { error: await countWrongCode(tx, order, requestId) };
      }
    }
    await recordRequest(tx, {
      requestId: request.requestId,
      operation: OPERATION,
      fingerprint: requestFingerprint,
      targetId: order.id,
    });
    const confirmed = await transitionOrder(tx, order, "IN_PROGRESS", {
      requestId,
      data: {
        sagaStep: firstStep({ ...order, terms: parseTerms(order.offering) }),
        sagaDueAt: new Date(),
        confirmationCodeHash: null,
      },
    });
    return { order: confirmed };
  });

  if ("error" in outcome) throw outcome.error;
  ctx.wakeSaga();
  return { order: orderToProto(outcome.order) };
}

/**
 * An SMS reply that reached the SMS hall from the subscriber's own number (the SMSC authenticated the sender, the
 * hall signed it as the subscriber) and names the order is the subscriber's consent: "Y" alone confirms the one
 * pending order. The code is needed only to pick an order among several, or over any other channel; a code that
 * is given must still be right.
 */
function repliedFromOwnPhone(
  method: ConfirmationMethod,
  call: { party?: ActingParty; channel: Channel },
  order: OrderRow,
): boolean {
  return (
    method === ConfirmationMethod.CONFIRMATION_METHOD_SMS_REPLY &&
    call.channel === Channel.CHANNEL_SMS_HALL &&
    call.party?.kind === "subscriber" &&
    call.party.subscriberId === order.subscriberId
  );
}

/**
 * The order the request names, locked: by id, or for an SMS reply by its code among the subscriber's pending
 * orders. Another subscriber's order is not found, so ids cannot be probed.
 */
async function findOrder(tx: Tx, request: ConfirmOrderRequest): Promise<OrderRow | null> {
  if (request.orderId !== "") {
    const order = await lockOrder(tx, request.orderId);
    return order?.subscriberId === request.subscriberId ? order : null;
  }
  const pending = await tx.order.findMany({
    where: { subscriberId: request.subscriberId, state: "PENDING", confirmationCodeHash: { not: null } },
    select: { id: true, confirmationCodeHash: true },
  });
  const match = pending.find((order) => codeMatches(order.id, request.confirmationCode, order.confirmationCodeHash!));
  return match ? lockOrder(tx, match.id) : null;
}

function notPendingError(order: OrderRow): DomainError {
  if (order.state === "CANCELLED") {
    if (order.failureReason === "CONFIRMATION_EXPIRED") return OrderErrors.confirmationExpired();
    if (order.failureReason === "CONFIRMATION_ATTEMPTS_EXHAUSTED") return OrderErrors.confirmationAttemptsExhausted();
    return OrderErrors.orderNotPending();
  }
  return OrderErrors.orderAlreadyConfirmed();
}

async function countWrongCode(tx: Tx, order: OrderRow, requestId: string | undefined): Promise<DomainError> {
  const attempts = order.confirmationAttempts + 1;
  if (attempts >= MAX_CONFIRMATION_ATTEMPTS) {
    await transitionOrder(tx, order, "CANCELLED", {
      reason: "CONFIRMATION_ATTEMPTS_EXHAUSTED",
      requestId,
      data: { confirmationAttempts: attempts },
    });
    return OrderErrors.confirmationAttemptsExhausted();
  }
  await tx.order.update({ where: { id: order.id }, data: { confirmationAttempts: attempts } });
  return OrderErrors.confirmationCodeWrong(MAX_CONFIRMATION_ATTEMPTS - attempts);
}
