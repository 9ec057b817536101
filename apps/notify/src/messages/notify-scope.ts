import { status as GrpcStatus } from "@grpc/grpc-js";
import type { OptOutRequest } from "@omnihall/proto/omnihall/notify/v1/notify";
import {
  DomainError,
  assertPlaceInScope,
  subscriberInScope,
  subscriberRequestInScope,
  type CallContext,
  type Whereabouts,
} from "@omnihall/service-kit";
import type { RecipientDirectory } from "../recipients/recipient-directory.js";
import { hasIdShape } from "@omnihall/ids";

type Scope = Pick<CallContext, "party">;
/** A place no territory covers but the whole country: how an unknown number is refused to staff. */
const NOWHERE = { provinceCode: "" };
export type SubscriberWhereabouts = (subscriberId: string) => Promise<Whereabouts | undefined>;

/** A request naming a subscriber, held to the acting party (a malformed id is the handler's to refuse). */
export function inScope<R extends { subscriberId: string }>(
  ctx: Scope,
  request: R,
  whereabouts: SubscriberWhereabouts,
) {
  return subscriberRequestInScope(ctx, request, whereabouts, (id) => hasIdShape(id, "sub"));
}

/** A message read by id belongs to the acting subscriber, or lies in the acting staff's area. */
export async function assertMessageInScope(ctx: Scope, subscriberId: string, whereabouts: SubscriberWhereabouts) {
  if (ctx.party) await subscriberInScope(ctx, subscriberId, whereabouts);
}

/**
 * OptOut names its subscriber by id or by number ("TD" texted to the SMS hall). A subscriber opts out only their
 * own number; staff only subscribers of their area, an unknown number refused like one outside it.
 */
export async function scopedOptOut(
  ctx: Scope,
  request: OptOutRequest,
  recipients: RecipientDirectory,
  whereabouts: SubscriberWhereabouts,
): Promise<OptOutRequest> {
  const { party } = ctx;
  if (!party) return request;
  if (request.subscriberId !== undefined) {
    return { ...request, ...(await inScope(ctx, { subscriberId: request.subscriberId }, whereabouts)) };
  }
  if (request.msisdn === undefined) return request;
  let recipient: { subscriberId: string; msisdn: string };
  try {
    recipient = await recipients.byMsisdn(request.msisdn);
  } catch (error) {
    if (error instanceof DomainError && error.code === GrpcStatus.NOT_FOUND) assertPlaceInScope(ctx, NOWHERE);
    throw error;
  }
  const byId = { ...request, msisdn: undefined, subscriberId: recipient.subscriberId };
  // A subscriber known so far only by the number the network authenticated (the SMS hall): that number only.
  if (party.kind === "subscriber" && party.subscriberId === "") {
    if (recipient.msisdn === party.msisdn) return byId;
    assertPlaceInScope(ctx, NOWHERE);
  }
  return { ...byId, subscriberId: await subscriberInScope(ctx, recipient.subscriberId, whereabouts) };
}
