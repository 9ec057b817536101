import type {
  GetSubscriberRequest,
  GetSubscriberResponse,
  ListSubscribersRequest,
  ListSubscribersResponse,
} from "@omnihall/proto/omnihall/customer/v1/customer";
import {
  DomainError,
  assertPlaceInScope,
  provinceScopeOf,
  subscriberInScope,
  type CallContext,
} from "@omnihall/service-kit";
import { status as GrpcStatus } from "@grpc/grpc-js";
import type { CustomerDb } from "../db.js";
import { getSubscriber } from "./get-subscriber.js";
import { listSubscribers } from "./list-subscribers.js";
import { normalizeProvinceCode } from "./provinces.js";

type Scope = Pick<CallContext, "party">;

/** A place no territory covers but the whole country: the scope check of a subscriber nobody has. */
const NOWHERE = { provinceCode: "" };

/**
 * GetSubscriber for the acting party: a subscriber sees only themselves (no lookup at all means them), an agent
 * or operator only subscribers of their territory or province. For a party, an unknown subscriber is refused
 * like one outside the scope, so nobody can test which numbers are customers.
 */
export async function getSubscriberInScope(
  db: CustomerDb,
  request: GetSubscriberRequest,
  ctx: Scope,
): Promise<GetSubscriberResponse> {
  const { party } = ctx;
  if (!party) return getSubscriber(db, request);
  const lookup =
    party.kind === "subscriber" && request.subscriberId === undefined && request.msisdn === undefined
      ? party.subscriberId === ""
        ? { subscriberId: undefined, msisdn: party.msisdn }
        : { subscriberId: party.subscriberId, msisdn: undefined }
      : request;
  let answer: GetSubscriberResponse;
  try {
    answer = await getSubscriber(db, lookup);
  } catch (error) {
    if (error instanceof DomainError && error.code === GrpcStatus.NOT_FOUND) assertPlaceInScope(ctx, NOWHERE);
    throw error;
  }
  const found = answer.subscriber!;
  // A subscriber may always find themselves by their own number: how the SMS hall, which knows a texter only by
  // the number its SMSC authenticated, learns whose text it is.
  if (party.kind === "subscriber" && request.msisdn !== undefined && found.msisdn === party.msisdn) return answer;
  await subscriberInScope(ctx, found.subscriberId, async () => ({
    provinceCode: found.provinceCode,
    city: found.city,
  }));
  return answer;
}

/**
 * ListSubscribers within the acting party's scope: an operator lists their province (none named means theirs,
 * another is refused), HQ the whole country; subscribers and kiosks list nobody.
 */
export async function listSubscribersInScope(
  db: CustomerDb,
  request: ListSubscribersRequest,
  ctx: Scope,
): Promise<ListSubscribersResponse> {
  if (!ctx.party) return listSubscribers(db, request);
  const scope = provinceScopeOf(ctx);
  const provinceCode =
    request.provinceCode === "" ? (scope ?? "") : (normalizeProvinceCode(request.provinceCode) ?? request.provinceCode);
  const city = request.city === "" && ctx.party.kind === "agent" ? (ctx.party.territory.city ?? "") : request.city;
  assertPlaceInScope(ctx, { provinceCode: provinceCode === "" ? "*" : provinceCode, city: city || undefined });
  return listSubscribers(db, { ...request, provinceCode, city });
}
