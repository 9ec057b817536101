import {
  WaveState,
  type GetWaveProgressRequest,
  type GetWaveProgressResponse,
} from "@omnihall/proto/omnihall/campaign/v1/campaign";
import { notFound, type CallContext } from "@omnihall/service-kit";
import { assertMay, checkCampaignId, outsideScope, READ_ROLES } from "../campaigns/campaign-access.js";
import type { CampaignDeps } from "../deps.js";
import type { WaveState as RowState } from "../generated/prisma/client.js";

const STATE: Record<RowState, WaveState> = {
  RUNNING: WaveState.WAVE_STATE_RUNNING,
  PAUSED: WaveState.WAVE_STATE_PAUSED,
  COMPLETED: WaveState.WAVE_STATE_COMPLETED,
  ENDED: WaveState.WAVE_STATE_ENDED,
};

/** How long the progress waits for notify's counts before answering without them. */
const DELIVERY_DEADLINE_MS = 2_000;

/**
 * GetWaveProgress: the wave's own counts (committed with each batch) and, asked of notify now, what became of the
 * messages handed over. Notify being slow or down never fails the call: delivery_known is false then.
 */
export async function getWaveProgress(
  deps: CampaignDeps,
  request: GetWaveProgressRequest,
  ctx: CallContext,
): Promise<GetWaveProgressResponse> {
  const campaignId = checkCampaignId(request.campaignId);
  const campaign = await deps.db.campaign.findUnique({ where: { id: campaignId }, select: { provinceCode: true } });
  if (!campaign) throw outsideScope();
  assertMay(ctx, READ_ROLES, campaign.provinceCode);
  const wave = await deps.db.wave.findUnique({ where: { campaignId } });
  if (!wave) {
    throw notFound("WAVE_NOT_FOUND", {
      "zh-CN": "该活动没有短信外呼批次（未投放短信渠道，或尚未上线）。",
      en: "The campaign has no SMS wave (it does not run on the SMS hall, or has not gone live yet).",
    });
  }
  const delivery = deps.notify
    ? await deps.notify
        .getCampaignDeliveryStats({ campaignId }, { requestId: ctx.requestId, deadlineMs: DELIVERY_DEADLINE_MS })
        .catch((error: unknown) => {
          ctx.log.warn({ err: error, campaignId }, "notify's delivery counts not available");
          return undefined;
        })
    : undefined;
  return {
    progress: {
      campaignId,
      state: STATE[wave.state],
      counted: wave.counted,
      handedOver: wave.handedOver,
      skippedHoldout: wave.skippedHoldout,
      skippedNoConsent: wave.skippedNoConsent,
      skippedFrequencyCap: wave.skippedFrequencyCap,
      refusedByNotify: wave.refusedByNotify,
      pending: delivery?.pending ?? 0n,
      sent: delivery?.sent ?? 0n,
      delivered: delivery?.delivered ?? 0n,
      failed: delivery?.failed ?? 0n,
      withdrawn: delivery?.withdrawn ?? 0n,
      deliveryKnown: delivery !== undefined,
      startTime: wave.startTime,
      updateTime: wave.updateTime,
    },
  };
}
