import { status as GrpcStatus } from "@grpc/grpc-js";
import type { CustomerServiceService } from "@omnihall/proto/omnihall/customer/v1/customer";
import type { Whereabouts } from "@omnihall/service-kit";
import type { ServiceClient } from "./service-client.js";
import { ServiceCallError } from "./service-call-error.js";

export interface WhereaboutsOptions {
  /** How long a subscriber's place is remembered; people rarely move province, agents ask often. Default 5 min. */
  ttlMs?: number;
  /** Entries kept at most; the oldest go first. Default 50,000. */
  maxEntries?: number;
}

/**
 * Where a subscriber belongs (province, city), asked of the customer service and remembered for a while: what a
 * service that does not keep subscribers needs to check an agent's or operator's scope (`subscriberInScope`).
 * Unknown subscribers are undefined, which the scope check treats as out of scope.
 */
export function createSubscriberWhereabouts(
  customer: ServiceClient<typeof CustomerServiceService>,
  options: WhereaboutsOptions = {},
): (subscriberId: string) => Promise<Whereabouts | undefined> {
  const ttlMs = options.ttlMs ?? 300_000;
  const maxEntries = options.maxEntries ?? 50_000;
  const known = new Map<string, { place: Whereabouts | undefined; until: number }>();

  return async (subscriberId) => {
    const cached = known.get(subscriberId);
    if (cached && cached.until > Date.now()) return cached.place;
    let place: Whereabouts | undefined;
    try {
      const { subscriber } = await customer.getSubscriber({ subscriberId, msisdn: undefined });
      place = subscriber ? { provinceCode: subscriber.provinceCode, city: subscriber.city } : undefined;
    } catch (error) {
      if (!(error instanceof ServiceCallError && error.code === GrpcStatus.NOT_FOUND)) throw error;
    }
    known.delete(subscriberId);
    if (known.size >= maxEntries) known.delete(known.keys().next().value!);
    known.set(subscriberId, { place, until: Date.now() + ttlMs });
    return place;
  };
}
