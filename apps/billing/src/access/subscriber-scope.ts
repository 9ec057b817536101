import { subscriberInScope, type CallContext, type Whereabouts } from "@omnihall/service-kit";
import { requireSubscriberId } from "../errors.js";

/** Where a subscriber lives (province, city), or undefined for nobody we know: the customer service's answer. */
export type WhereaboutsOf = (subscriberId: string) => Promise<Whereabouts | undefined>;

/**
 * The subscriber a call is about, after the acting party's scope check: a subscriber only themselves (an empty id
 * means them), an agent or operator only inside their area, a domain service whoever it names. A malformed id is
 * refused before anyone is asked where it lives.
 */
export async function scopedSubscriber(
  ctx: Pick<CallContext, "party">,
  subscriberId: string,
  whereabouts: WhereaboutsOf,
): Promise<string> {
  if (subscriberId !== "") requireSubscriberId(subscriberId);
  return subscriberInScope(ctx, subscriberId, whereabouts);
}

/** A request with its subscriber_id replaced by the one the acting party may act on. */
export async function inScope<R extends { subscriberId: string }>(
  request: R,
  ctx: Pick<CallContext, "party">,
  whereabouts: WhereaboutsOf,
): Promise<R> {
  return { ...request, subscriberId: await scopedSubscriber(ctx, request.subscriberId, whereabouts) };
}

/**
 * One question in flight per subscriber: a burst of calls about the same subscriber (a hall's retries, a busy
 * agent) asks the customer service once instead of once per call.
 */
export function sharedLookups(whereabouts: WhereaboutsOf): WhereaboutsOf {
  const inFlight = new Map<string, Promise<Whereabouts | undefined>>();
  return (subscriberId) => {
    const asked = inFlight.get(subscriberId);
    if (asked) return asked;
    const answer = whereabouts(subscriberId).finally(() => inFlight.delete(subscriberId));
    inFlight.set(subscriberId, answer);
    return answer;
  };
}
