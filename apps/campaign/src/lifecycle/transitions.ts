import { enqueue, REQUEST_ID_HEADER } from "@omnihall/bus";
import type { Campaign as CampaignRow, CampaignState, Prisma } from "../generated/prisma/client.js";
import type { CampaignTx } from "../db.js";
import { auditJson, toProto } from "../campaigns/campaign-record.js";
import { ids } from "../campaigns/ids.js";
import { CampaignEnded, CampaignLaunched, CampaignPaused } from "../events.js";

/** Who caused a change, for the audit log and the events' request id. */
export interface Cause {
  actor: string;
  requestId: string;
}

/**
 * Locks one campaign row for the rest of the transaction (changes to one campaign queue; the scheduler and an
 * operator never both move it). Undefined when there is none.
 */
export async function lockCampaign(tx: CampaignTx, campaignId: string): Promise<CampaignRow | undefined> {
  const locked = await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM campaign WHERE id = ${campaignId} FOR UPDATE`;
  if (locked.length === 0) return undefined;
  return (await tx.campaign.findUnique({ where: { id: campaignId } })) ?? undefined;
}

/**
 * Writes a change to a locked campaign with its audit entry and, when it enters LIVE, PAUSED or ENDED, its event
 * — all in the caller's transaction, so the three exist together or not at all.
 */
export async function recordChange(
  tx: CampaignTx,
  before: CampaignRow | undefined,
  action: string,
  cause: Cause,
  change: Prisma.CampaignUncheckedCreateInput | Prisma.CampaignUncheckedUpdateInput,
): Promise<CampaignRow> {
  const now = new Date();
  const after = before
    ? await tx.campaign.update({
        where: { id: before.id },
        data: { ...(change as Prisma.CampaignUncheckedUpdateInput), version: { increment: 1 }, updateTime: now },
      })
    : await tx.campaign.create({ data: change as Prisma.CampaignUncheckedCreateInput });
  await tx.auditEntry.create({
    data: {
      id: ids.newAuditId(),
      campaignId: after.id,
      action,
      actor: cause.actor,
      requestId: cause.requestId,
      before: before ? auditJson(before) : undefined,
      after: auditJson(after),
      createTime: now,
    },
  });
  if (before?.state !== after.state) await announce(tx, after, after.state, now, cause.requestId);
  return after;
}

async function announce(tx: CampaignTx, row: CampaignRow, state: CampaignState, at: Date, requestId: string) {
  const campaign = toProto(row);
  const options = { headers: { [REQUEST_ID_HEADER]: requestId } };
  if (state === "LIVE") await enqueue(tx, CampaignLaunched, { campaign, launchTime: at }, options);
  if (state === "PAUSED") await enqueue(tx, CampaignPaused, { campaign, pauseTime: at }, options);
  if (state === "ENDED") await enqueue(tx, CampaignEnded, { campaign, endTime: at }, options);
}

/** Where an approved (or resumed) campaign stands at `now`: before its start SCHEDULED, then LIVE. */
export function runningState(row: CampaignRow, now: Date): "SCHEDULED" | "LIVE" {
  return row.startTime <= now ? "LIVE" : "SCHEDULED";
}
