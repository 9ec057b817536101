import type {
  GetCampaignRequest,
  GetCampaignResponse,
  ListAuditEntriesRequest,
  ListAuditEntriesResponse,
  ListCampaignsRequest,
  ListCampaignsResponse,
} from "@omnihall/proto/omnihall/campaign/v1/campaign";
import {
  assertOperatorRole,
  decodePageToken,
  encodePageToken,
  pageSize,
  provinceScopeOf,
  type CallContext,
} from "@omnihall/service-kit";
import { z } from "zod";
import type { Prisma } from "../generated/prisma/client.js";
import type { CampaignDeps } from "../deps.js";
import { provinceCodeUnknown, stateInvalid } from "../errors.js";
import { assertMay, checkCampaignId, outsideScope, READ_ROLES } from "./campaign-access.js";
import { stateFromProto, toProto } from "./campaign-record.js";
import { isProvinceCode } from "./provinces.js";

/** GetCampaign: ops staff in scope, and the services that validate a campaign id (orders). */
export async function getCampaign(
  deps: CampaignDeps,
  request: GetCampaignRequest,
  ctx: CallContext,
): Promise<GetCampaignResponse> {
  const campaignId = checkCampaignId(request.campaignId);
  const row = await deps.db.campaign.findUnique({ where: { id: campaignId } });
  // Unknown and out-of-scope look alike to operators; a service asking learns it is unknown the same way.
  if (!row) throw outsideScope();
  assertMay(ctx, READ_ROLES, row.provinceCode);
  return { campaign: toProto(row) };
}

const listPosition = z.object({ t: z.string(), id: z.string() });

/** ListCampaigns: newest first; a province operator only ever lists their own province. */
export async function listCampaigns(
  deps: CampaignDeps,
  request: ListCampaignsRequest,
  ctx: CallContext,
): Promise<ListCampaignsResponse> {
  const size = pageSize(request.pageSize, { default: 50, max: 200 });
  const states = request.states.map((state) => {
    const row = stateFromProto(state);
    if (!row) throw stateInvalid();
    return row;
  });
  if (request.provinceCode && !isProvinceCode(request.provinceCode)) {
    throw provinceCodeUnknown("province_code", request.provinceCode);
  }
  assertOperatorRole(ctx, ...READ_ROLES);
  // A province's staff list only their own province: asking for national or another province is refused.
  const own = provinceScopeOf(ctx);
  if (own && (request.nationalOnly || (request.provinceCode && request.provinceCode !== own))) throw outsideScope();
  const province = request.provinceCode || own;
  const filters = { states, province: province ?? "", national: request.nationalOnly };
  const after = decodePageToken(request.pageToken, listPosition, filters);

  const where: Prisma.CampaignWhereInput = {
    ...(states.length ? { state: { in: states } } : {}),
    ...(request.nationalOnly ? { provinceCode: null } : province ? { provinceCode: province } : {}),
    ...(after
      ? {
          OR: [{ createTime: { lt: new Date(after.t) } }, { createTime: new Date(after.t), id: { lt: after.id } }],
        }
      : {}),
  };
  const rows = await deps.db.campaign.findMany({
    where,
    orderBy: [{ createTime: "desc" }, { id: "desc" }],
    take: size + 1,
  });
  const page = rows.slice(0, size);
  const last = page.at(-1);
  return {
    campaigns: page.map(toProto),
    nextPageToken:
      rows.length > size && last ? encodePageToken({ t: last.createTime.toISOString(), id: last.id }, filters) : "",
  };
}

const auditPosition = z.object({ id: z.string() });

/** ListAuditEntries: one campaign's log, oldest first, for whoever may read the campaign. */
export async function listAuditEntries(
  deps: CampaignDeps,
  request: ListAuditEntriesRequest,
  ctx: CallContext,
): Promise<ListAuditEntriesResponse> {
  const campaignId = checkCampaignId(request.campaignId);
  const size = pageSize(request.pageSize, { default: 100, max: 500 });
  const after = decodePageToken(request.pageToken, auditPosition, { campaignId });
  const campaign = await deps.db.campaign.findUnique({ where: { id: campaignId }, select: { provinceCode: true } });
  if (!campaign) throw outsideScope();
  assertMay(ctx, READ_ROLES, campaign.provinceCode);
  const rows = await deps.db.auditEntry.findMany({
    where: { campaignId, ...(after ? { id: { gt: after.id } } : {}) },
    orderBy: { id: "asc" },
    take: size + 1,
  });
  const page = rows.slice(0, size);
  return {
    entries: page.map((row) => ({
      entryId: row.id,
      campaignId: row.campaignId,
      action: row.action,
      actor: row.actor,
      createTime: row.createTime,
      beforeJson: row.before === null ? "" : JSON.stringify(row.before),
      afterJson: JSON.stringify(row.after),
      requestId: row.requestId,
    })),
    nextPageToken: rows.length > size ? encodePageToken({ id: page.at(-1)!.id }, { campaignId }) : "",
  };
}
