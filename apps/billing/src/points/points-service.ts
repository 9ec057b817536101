import type { PointsServiceService } from "@omnihall/proto/omnihall/billing/v1/points";
import type { ServiceHandlers } from "@omnihall/service-kit";
import type { BillingDb } from "../db.js";
import { getPointsBalance } from "./get-points-balance.js";
import { getRedemption } from "./get-redemption.js";
import { listPointsTransactions } from "./list-points-transactions.js";
import { listRedemptions } from "./list-redemptions.js";
import { listRewards } from "./list-rewards.js";
import { redeemReward } from "./redeem-reward.js";
import { updateRedemptionStatus } from "./update-redemption-status.js";

/** PointsService: one handler per RPC, each in its own file. */
export function pointsHandlers(db: BillingDb): ServiceHandlers<typeof PointsServiceService> {
  return {
    getPointsBalance: (request) => getPointsBalance(db, request),
    listPointsTransactions: (request) => listPointsTransactions(db, request),
    listRewards: (request) => listRewards(db, request),
    redeemReward: (request, ctx) => redeemReward(db, request, ctx),
    getRedemption: (request) => getRedemption(db, request),
    listRedemptions: (request) => listRedemptions(db, request),
    updateRedemptionStatus: (request, ctx) => updateRedemptionStatus(db, request, ctx),
  };
}
