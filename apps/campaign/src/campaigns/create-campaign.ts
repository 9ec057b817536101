import {
  CreateCampaignRequest,
  CreateCampaignResponse,
  UpdateCampaignRequest,
  UpdateCampaignResponse,
} from "@omnihall/proto/omnihall/campaign/v1/campaign";
import type { CallContext } from "@omnihall/service-kit";
import type { CampaignDeps } from "../deps.js";
import { campaignChanged, campaignNotDraft } from "../errors.js";
import { runOnce } from "../idempotency/request-log.js";
import { lockCampaign, recordChange } from "../lifecycle/transitions.js";
import { actorOf, assertMay, checkCampaignId, outsideScope } from "./campaign-access.js";
import { specToJson, toProto } from "./campaign-record.js";
import { ids } from "./ids.js";
import { validateSpec } from "./validate-spec.js";

/** The columns a spec decides. */
function specColumns(spec: ReturnType<typeof validateSpec>) {
  return {
    name: spec.name,
    provinceCode: spec.scope!.national ? null : spec.scope!.provinceCode,
    spec: specToJson(spec),
    startTime: spec.schedule!.startTime!,
    endTime: spec.schedule!.endTime!,
  };
}

/** CreateCampaign: a DRAFT written by the acting author, in a scope they may work in. */
export async function createCampaign(deps: CampaignDeps, request: CreateCampaignRequest, ctx: CallContext) {
  const spec = validateSpec(request.spec);
  assertMay(ctx, ["author"], spec.scope!.national ? null : spec.scope!.provinceCode);
  const { response } = await runOnce(
    deps.db,
    "CreateCampaign",
    request,
    { request: CreateCampaignRequest, response: CreateCampaignResponse },
    async (tx) => {
      const row = await recordChange(
        tx,
        undefined,
        "CREATE",
        { actor: actorOf(ctx), requestId: request.requestId },
        {
          id: ids.newCampaignId(),
          state: "DRAFT",
          authorId: ctx.party?.kind === "operator" ? ctx.party.operatorId : `service:${ctx.caller}`,
          ...specColumns(spec),
        },
      );
      return { campaign: toProto(row) };
    },
  );
  return response;
}

/** UpdateCampaign: replaces a DRAFT's definition; its scope before and after must both be the editor's. */
export async function updateCampaign(deps: CampaignDeps, request: UpdateCampaignRequest, ctx: CallContext) {
  const campaignId = checkCampaignId(request.campaignId);
  const spec = validateSpec(request.spec);
  assertMay(ctx, ["author"], spec.scope!.national ? null : spec.scope!.provinceCode);
  const { response } = await runOnce(
    deps.db,
    "UpdateCampaign",
    request,
    { request: UpdateCampaignRequest, response: UpdateCampaignResponse },
    async (tx) => {
      const before = await lockCampaign(tx, campaignId);
      if (!before) throw outsideScope();
      assertMay(ctx, ["author"], before.provinceCode);
      if (before.state !== "DRAFT") throw campaignNotDraft(before.state);
      if (request.etag !== "" && request.etag !== String(before.version)) throw campaignChanged();
      const row = await recordChange(
        tx,
        before,
        "UPDATE",
        { actor: actorOf(ctx), requestId: request.requestId },
        { ...specColumns(spec), rejectionReason: null },
      );
      return { campaign: toProto(row) };
    },
  );
  return response;
}
