import type {
  GetCampaignFunnelRequest,
  GetCampaignFunnelResponse,
} from "@omnihall/proto/omnihall/campaign/v1/campaign";
import { DomainError, type CallContext } from "@omnihall/service-kit";
import type { CampaignDeps } from "../deps.js";

/** GetCampaignFunnel: contract first; the implementation follows (issue 13, attribution). */
export async function getCampaignFunnel(
  _deps: CampaignDeps,
  _request: GetCampaignFunnelRequest,
  _ctx: CallContext,
): Promise<GetCampaignFunnelResponse> {
  throw new DomainError(12, "NOT_IMPLEMENTED_YET", { "zh-CN": "尚未实现。", en: "Not implemented yet." });
}
