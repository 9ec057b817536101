import type {
  RecordInteractionsRequest,
  RecordInteractionsResponse,
} from "@omnihall/proto/omnihall/campaign/v1/campaign";
import { DomainError, type CallContext } from "@omnihall/service-kit";
import type { CampaignDeps } from "../deps.js";

/** RecordInteractions: contract first; the implementation follows (issue 13, attribution). */
export async function recordInteractions(
  _deps: CampaignDeps,
  _request: RecordInteractionsRequest,
  _ctx: CallContext,
): Promise<RecordInteractionsResponse> {
  throw new DomainError(12, "NOT_IMPLEMENTED_YET", { "zh-CN": "尚未实现。", en: "Not implemented yet." });
}
