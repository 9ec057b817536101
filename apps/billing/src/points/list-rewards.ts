import { decodePageToken, encodePageToken, pageSize } from "@omnihall/service-kit";
import {
  RewardKind,
  type ListRewardsRequest,
  type ListRewardsResponse,
} from "@omnihall/proto/omnihall/billing/v1/points";
import { z } from "zod";
import type { BillingDb } from "../db.js";
import type { Prisma } from "../generated/prisma/client.js";
import { rewardMessage } from "./points-messages.js";
import { requireProvinceCodeShape } from "./points-errors.js";

/** Position in the cheapest-first order: the last row's points cost (as a string: JSON has no bigint) and code. */
const position = z.tuple([z.string().regex(/^\d{1,18}$/), z.string().max(64)]);

/** Active rewards, cheapest first (then by code), keyset-paged on (points_cost, code). */
export async function listRewards(db: BillingDb, request: ListRewardsRequest): Promise<ListRewardsResponse> {
  requireProvinceCodeShape(request.provinceCode);
  const kind =
    request.kind === RewardKind.REWARD_KIND_BALANCE_CREDIT
      ? "BALANCE_CREDIT"
      : request.kind === RewardKind.REWARD_KIND_MERCHANDISE
        ? "MERCHANDISE"
        : undefined;
  const filters = { provinceCode: request.provinceCode, kind: kind ?? "" };
  const size = pageSize(request.pageSize, { default: 20, max: 100 });
  const after = decodePageToken(request.pageToken, position, filters);

  const where: Prisma.RewardWhereInput[] = [{ active: true }];
  if (kind) where.push({ kind });
  if (request.provinceCode) {
    where.push({ OR: [{ provinceCodes: { isEmpty: true } }, { provinceCodes: { has: request.provinceCode } }] });
  }
  if (after) {
    const cost = BigInt(after[0]);
    where.push({ OR: [{ pointsCost: { gt: cost } }, { pointsCost: cost, code: { gt: after[1] } }] });
  }
  const rows = await db.reward.findMany({
    where: { AND: where },
    orderBy: [{ pointsCost: "asc" }, { code: "asc" }],
    take: size + 1,
  });
  const page = rows.slice(0, size);
  const last = page[page.length - 1];
  return {
    rewards: page.map(rewardMessage),
    nextPageToken: rows.length > size && last ? encodePageToken([String(last.pointsCost), last.code], filters) : "",
  };
}
