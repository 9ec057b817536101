import type { PointsServiceService } from "@omnihall/proto/omnihall/billing/v1/points";
import type { ServiceHandlers } from "@omnihall/service-kit";
import { inScope, type WhereaboutsOf } from "../access/subscriber-scope.js";
import type { BillingDb } from "../db.js";
import { getPointsBalance } from "./get-points-balance.js";
import { getRedemption } from "./get-redemption.js";
import { listPointsTransactions } from "./list-points-transactions.js";
import { listRedemptions } from "./list-redemptions.js";
import { listRewards } from "./list-rewards.js";
import { redeemReward } from "./redeem-reward.js";
import { updateRedemptionStatus } from "./update-redemption-status.js";

/** PointsService: one handler per RPC, each in its own file; subscriber RPCs narrowed to the party's scope first. */
export function pointsHandlers(
  db: BillingDb,
  whereabouts: WhereaboutsOf,
): ServiceHandlers<typeof PointsServiceService> {
  return {
    getPointsBalance: async (request, ctx) => getPointsBalance(db, await inScope(request, ctx, whereabouts)),
    listPointsTransactions: async (request, ctx) =>
      listPointsTransactions(db, await inScope(request, ctx, whereabouts)),
    listRewards: (request) => listRewards(db, request),
    redeemReward: async (request, ctx) => redeemReward(db, await inScope(request, ctx, whereabouts), ctx, whereabouts),
    getRedemption: async (request, ctx) => getRedemption(db, await inScope(request, ctx, whereabouts)),
    listRedemptions: async (request, ctx) => listRedemptions(db, await inScope(request, ctx, whereabouts)),
    updateRedemptionStatus: (request, ctx) => updateRedemptionStatus(db, request, ctx),
  };
}
