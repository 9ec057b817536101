import { ids } from "./ids.js";
import {
  assertOperatorRole,
  assertPlaceInScope,
  NATIONAL_SCOPE,
  permissionDenied,
  type CallContext,
} from "@omnihall/service-kit";
import { campaignIdMalformed } from "../errors.js";

type Ctx = Pick<CallContext, "party">;

/** Roles that may read campaigns (and their audit log). */
export const READ_ROLES = ["author", "approver", "viewer"] as const;
/** Roles that may pull the kill switch or end a campaign. */
export const RUN_ROLES = ["author", "approver"] as const;

export function outsideScope() {
  return permissionDenied("OUTSIDE_PARTY_SCOPE", {
    "zh-CN": "无权操作该地区的活动（省级运营只能操作本省活动，全国活动仅限集团）。",
    en: "You may not act on campaigns outside your province (national campaigns are group HQ's).",
  });
}

/**
 * May the acting party reach a campaign of this scope (`provinceCode` undefined: national)? Group HQ reaches all,
 * a province's operations only their own province; services acting for nobody are trusted.
 */
export function assertScopeReachable(ctx: Ctx, provinceCode: string | null | undefined): void {
  const { party } = ctx;
  if (!party) return;
  if (provinceCode) return assertPlaceInScope(ctx, { provinceCode });
  if (party.kind === "operator" && party.provinceScope === NATIONAL_SCOPE) return;
  throw outsideScope();
}

/** Checks role and scope together, the order every campaign RPC checks them in. */
export function assertMay(ctx: Ctx, roles: readonly string[], provinceCode: string | null | undefined): void {
  assertOperatorRole(ctx, ...roles);
  assertScopeReachable(ctx, provinceCode);
}

export function checkCampaignId(id: string): string {
  if (!ids.isCampaignId(id)) throw campaignIdMalformed();
  return id;
}

/** Who did it, as the audit log says it. */
export function actorOf(ctx: Pick<CallContext, "party" | "caller">): string {
  return ctx.party?.kind === "operator" ? `operator:${ctx.party.operatorId}` : `service:${ctx.caller}`;
}
