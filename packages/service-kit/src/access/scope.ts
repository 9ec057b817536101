import { DomainError, invalidArgument, permissionDenied, unavailable } from "../domain-error.js";
import type { CallContext } from "../service-definition.js";
import { NATIONAL_SCOPE, type ActingParty, type Territory } from "./acting-party.js";

/** Where a subscriber (or anything else in a territory: a number, a campaign) belongs. */
export interface Whereabouts {
  provinceCode: string;
  city?: string;
  area?: string;
}

const OUT_OF_SCOPE = {
  "zh-CN": "无权操作该用户或该地区的业务。",
  en: "You may not act on this subscriber or outside your area.",
};
const SUBSCRIBER_REQUIRED = {
  "zh-CN": "请指定用户（subscriber_id）。",
  en: "Name the subscriber (subscriber_id).",
};

function outOfScope(party: ActingParty): never {
  throw permissionDenied("OUTSIDE_PARTY_SCOPE", OUT_OF_SCOPE, { metadata: { partyKind: party.kind } });
}

/** Is a place inside a territory? An unset city or area in the territory means all of them. */
export function territoryCovers(territory: Territory, place: Whereabouts): boolean {
  return (
    territory.provinceCode === place.provinceCode &&
    (territory.city === undefined || territory.city === place.city) &&
    (territory.area === undefined || territory.area === place.area)
  );
}

/** May the acting party see or change things in this place? Services (no party) may; subscribers never. */
export function assertPlaceInScope(ctx: Pick<CallContext, "party">, place: Whereabouts): void {
  const { party } = ctx;
  if (!party) return;
  switch (party.kind) {
    case "agent":
      if (territoryCovers(party.territory, place)) return;
      break;
    case "operator":
      if (party.provinceScope === NATIONAL_SCOPE || party.provinceScope === place.provinceCode) return;
      break;
    case "device":
    case "subscriber":
      break;
  }
  outOfScope(party);
}

/** The province an operator (or agent, or kiosk) works in; undefined for HQ and for services: everywhere. */
export function provinceScopeOf(ctx: Pick<CallContext, "party">): string | undefined {
  const { party } = ctx;
  if (!party) return undefined;
  switch (party.kind) {
    case "operator":
      return party.provinceScope === NATIONAL_SCOPE ? undefined : party.provinceScope;
    case "agent":
      return party.territory.provinceCode;
    case "device":
      return party.provinceCode;
    case "subscriber":
      return undefined;
  }
}

/**
 * The subscriber a call is about, checked against who is acting:
 * - a subscriber acts only for themselves: an empty subscriber_id means them, another id is refused;
 * - an agent or operator names the subscriber, who must live inside their territory or province
 *   (`whereabouts` looks that up, from the service's own data or the customer service);
 * - a kiosk device alone acts for no subscriber;
 * - a domain service (no party) is trusted with the id it names.
 */
export async function subscriberInScope(
  ctx: Pick<CallContext, "party">,
  requestedSubscriberId: string,
  whereabouts: (subscriberId: string) => Promise<Whereabouts | undefined>,
): Promise<string> {
  const { party } = ctx;
  if (party?.kind === "subscriber") {
    // A party known only by number (no id yet) reaches no subscriber's data.
    if (party.subscriberId === "" || (requestedSubscriberId !== "" && requestedSubscriberId !== party.subscriberId)) {
      outOfScope(party);
    }
    return party.subscriberId;
  }
  if (requestedSubscriberId === "") throw invalidArgument("SUBSCRIBER_ID_REQUIRED", SUBSCRIBER_REQUIRED);
  if (!party) return requestedSubscriberId;
  if (party.kind === "device") outOfScope(party);
  const place = await placeOf(requestedSubscriberId, whereabouts);
  // Unknown subscribers look the same as out-of-scope ones: nobody learns who exists outside their area.
  if (!place) outOfScope(party);
  assertPlaceInScope(ctx, place);
  return requestedSubscriberId;
}

const WHEREABOUTS_UNAVAILABLE = {
  "zh-CN": "暂时无法核实用户所属地区，请稍后再试。",
  en: "The subscriber's area cannot be checked right now; try again shortly.",
};

/** A lookup that fails (the customer service is down) is a retryable outage, not an internal error. */
async function placeOf(
  subscriberId: string,
  whereabouts: (subscriberId: string) => Promise<Whereabouts | undefined>,
): Promise<Whereabouts | undefined> {
  try {
    return await whereabouts(subscriberId);
  } catch (error) {
    if (error instanceof DomainError) throw error;
    throw unavailable("SUBSCRIBER_WHEREABOUTS_UNAVAILABLE", WHEREABOUTS_UNAVAILABLE, { cause: error });
  }
}

/**
 * A request naming a subscriber (`subscriber_id`), with that id held to the acting party by `subscriberInScope`
 * (so a hall acting for a subscriber may leave it empty). A domain service's request passes unchanged, and so
 * does a malformed id (`wellFormed` false): the handler refuses it with its own reason before any lookup.
 */
export async function subscriberRequestInScope<R extends { subscriberId: string }>(
  ctx: Pick<CallContext, "party">,
  request: R,
  whereabouts: (subscriberId: string) => Promise<Whereabouts | undefined>,
  wellFormed: (subscriberId: string) => boolean = () => true,
): Promise<R> {
  if (!ctx.party || (request.subscriberId !== "" && !wellFormed(request.subscriberId))) return request;
  return { ...request, subscriberId: await subscriberInScope(ctx, request.subscriberId, whereabouts) };
}

/** Whether the acting party holds an operator role (services, acting for nobody, hold every role). */
export function assertOperatorRole(ctx: Pick<CallContext, "party">, ...roles: string[]): void {
  const { party } = ctx;
  if (!party) return;
  if (party.kind === "operator" && party.roles.some((role) => roles.includes(role))) return;
  throw permissionDenied("OPERATOR_ROLE_REQUIRED", {
    "zh-CN": `需要运营角色：${roles.join("、")}。`,
    en: `This needs the operations role ${roles.join(" or ")}.`,
  });
}
