import { Campaign, CampaignSpec, CampaignState } from "@omnihall/proto/omnihall/campaign/v1/campaign";
import type { Campaign as CampaignRow, CampaignState as RowState } from "../generated/prisma/client.js";

const TO_PROTO: Record<RowState, CampaignState> = {
  DRAFT: CampaignState.CAMPAIGN_STATE_DRAFT,
  PENDING_APPROVAL: CampaignState.CAMPAIGN_STATE_PENDING_APPROVAL,
  SCHEDULED: CampaignState.CAMPAIGN_STATE_SCHEDULED,
  LIVE: CampaignState.CAMPAIGN_STATE_LIVE,
  PAUSED: CampaignState.CAMPAIGN_STATE_PAUSED,
  ENDED: CampaignState.CAMPAIGN_STATE_ENDED,
};

export function stateToProto(state: RowState): CampaignState {
  return TO_PROTO[state];
}

/** The row state of a proto state; undefined for UNSPECIFIED and unknown values. */
export function stateFromProto(state: CampaignState): RowState | undefined {
  return (Object.keys(TO_PROTO) as RowState[]).find((row) => TO_PROTO[row] === state);
}

/** What the row stores of a spec: its proto3 JSON (int64 as strings, so nothing is lost). */
export function specToJson(spec: CampaignSpec): object {
  return CampaignSpec.toJSON(spec) as object;
}

export function toProto(row: CampaignRow): Campaign {
  return {
    campaignId: row.id,
    spec: CampaignSpec.fromJSON(row.spec),
    state: stateToProto(row.state),
    authorId: row.authorId,
    approverId: row.approverId ?? "",
    rejectionReason: row.rejectionReason ?? "",
    createTime: row.createTime,
    updateTime: row.updateTime,
    etag: String(row.version),
  };
}

/** The campaign as the audit log keeps it (before/after). */
export function auditJson(row: CampaignRow): object {
  return Campaign.toJSON(toProto(row)) as object;
}
