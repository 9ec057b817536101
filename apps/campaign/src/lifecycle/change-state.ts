import {
  ApproveCampaignRequest,
  ApproveCampaignResponse,
  EndCampaignRequest,
  EndCampaignResponse,
  PauseCampaignRequest,
  PauseCampaignResponse,
  RejectCampaignRequest,
  RejectCampaignResponse,
  ResumeCampaignRequest,
  ResumeCampaignResponse,
  SubmitCampaignRequest,
  SubmitCampaignResponse,
} from "@omnihall/proto/omnihall/campaign/v1/campaign";
import type { CallContext } from "@omnihall/service-kit";
import type { Campaign as CampaignRow, Prisma } from "../generated/prisma/client.js";
import { actorOf, assertMay, checkCampaignId, outsideScope, RUN_ROLES } from "../campaigns/campaign-access.js";
import { toProto } from "../campaigns/campaign-record.js";
import type { CampaignDeps } from "../deps.js";
import { authorCannotApprove, rejectionReasonRequired, scheduleEnded, stateTransitionInvalid } from "../errors.js";
import { runOnce } from "../idempotency/request-log.js";
import { lockCampaign, recordChange, runningState } from "./transitions.js";

type StateRequest = { requestId: string; campaignId: string };

interface Codec<T> {
  encode(message: T): { finish(): Uint8Array };
  decode(input: Uint8Array): T;
  toJSON(message: T): unknown;
}

/** One lifecycle action: who may take it, from which states, and what it changes. */
interface Action<Request extends StateRequest> {
  rpc: string;
  audit: string;
  roles: readonly string[];
  from: ReadonlyArray<CampaignRow["state"]>;
  requestCodec: Codec<Request>;
  /** The change, given the locked row (may refuse). */
  change(row: CampaignRow, request: Request, ctx: CallContext, now: Date): Prisma.CampaignUncheckedUpdateInput;
}

const responseCodec = {
  // Every lifecycle response is { campaign }: one codec shape serves them all on the wire.
  encode: SubmitCampaignResponse.encode,
  decode: SubmitCampaignResponse.decode,
  toJSON: SubmitCampaignResponse.toJSON,
} as Codec<{ campaign: ReturnType<typeof toProto> | undefined }>;

const notEnded = (row: CampaignRow, now: Date) => {
  if (row.endTime <= now) throw scheduleEnded();
};

function lifecycleHandler<Request extends StateRequest>(action: Action<Request>) {
  return async (deps: CampaignDeps, request: Request, ctx: CallContext) => {
    const campaignId = checkCampaignId(request.campaignId);
    const { response, replayed } = await runOnce(
      deps.db,
      action.rpc,
      request,
      { request: action.requestCodec, response: responseCodec },
      async (tx) => {
        const before = await lockCampaign(tx, campaignId);
        // Unknown ids are refused like out-of-scope ones: nobody probes what exists outside their province.
        if (!before) throw outsideScope();
        assertMay(ctx, action.roles, before.provinceCode);
        if (!action.from.includes(before.state)) throw stateTransitionInvalid(before.state, action.audit);
        const change = action.change(before, request, ctx, new Date());
        const row = await recordChange(
          tx,
          before,
          action.audit,
          { actor: actorOf(ctx), requestId: request.requestId },
          change,
        );
        return { campaign: toProto(row) };
      },
    );
    if (!replayed) {
      // After the commit, never inside the transaction: the halls' set follows the database.
      await deps.live.sync(campaignId);
      deps.wakeScheduler();
    }
    return response;
  };
}

export const submitCampaign = lifecycleHandler<SubmitCampaignRequest>({
  rpc: "SubmitCampaign",
  audit: "SUBMIT",
  roles: ["author"],
  from: ["DRAFT"],
  requestCodec: SubmitCampaignRequest,
  change(row, _request, _ctx, now) {
    notEnded(row, now);
    return { state: "PENDING_APPROVAL", rejectionReason: null };
  },
});

export const approveCampaign = lifecycleHandler<ApproveCampaignRequest>({
  rpc: "ApproveCampaign",
  audit: "APPROVE",
  roles: ["approver"],
  from: ["PENDING_APPROVAL"],
  requestCodec: ApproveCampaignRequest,
  change(row, _request, ctx, now) {
    const approverId = ctx.party?.kind === "operator" ? ctx.party.operatorId : `service:${ctx.caller}`;
    // Four eyes: whoever wrote it cannot also release it.
    if (approverId === row.authorId) throw authorCannotApprove();
    notEnded(row, now);
    return { state: runningState(row, now), approverId };
  },
});

export const rejectCampaign = lifecycleHandler<RejectCampaignRequest>({
  rpc: "RejectCampaign",
  audit: "REJECT",
  roles: ["approver"],
  from: ["PENDING_APPROVAL"],
  requestCodec: RejectCampaignRequest,
  change(row, request, ctx) {
    const reason = request.reason.trim();
    if (!reason) throw rejectionReasonRequired();
    if (ctx.party?.kind === "operator" && ctx.party.operatorId === row.authorId) throw authorCannotApprove();
    return { state: "DRAFT", rejectionReason: reason.slice(0, 1000) };
  },
});

export const pauseCampaign = lifecycleHandler<PauseCampaignRequest>({
  rpc: "PauseCampaign",
  audit: "PAUSE",
  roles: RUN_ROLES,
  from: ["LIVE", "SCHEDULED"],
  requestCodec: PauseCampaignRequest,
  change: () => ({ state: "PAUSED" }),
});

export const resumeCampaign = lifecycleHandler<ResumeCampaignRequest>({
  rpc: "ResumeCampaign",
  audit: "RESUME",
  roles: RUN_ROLES,
  from: ["PAUSED"],
  requestCodec: ResumeCampaignRequest,
  change(row, _request, _ctx, now) {
    notEnded(row, now);
    return { state: runningState(row, now) };
  },
});

export const endCampaign = lifecycleHandler<EndCampaignRequest>({
  rpc: "EndCampaign",
  audit: "END",
  roles: RUN_ROLES,
  from: ["DRAFT", "PENDING_APPROVAL", "SCHEDULED", "LIVE", "PAUSED"],
  requestCodec: EndCampaignRequest,
  change: () => ({ state: "ENDED" }),
});

export type LifecycleResponse =
  | ApproveCampaignResponse
  | EndCampaignResponse
  | PauseCampaignResponse
  | RejectCampaignResponse
  | ResumeCampaignResponse;
