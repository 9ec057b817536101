import type {
  MatchReplyKeywordRequest,
  MatchReplyKeywordResponse,
} from "@omnihall/proto/omnihall/campaign/v1/campaign";
import { DomainError, type CallContext } from "@omnihall/service-kit";
import type { CampaignDeps } from "../deps.js";

/** MatchReplyKeyword: contract first; the implementation follows (issue 13, attribution). */
export async function matchReplyKeyword(
  _deps: CampaignDeps,
  _request: MatchReplyKeywordRequest,
  _ctx: CallContext,
): Promise<MatchReplyKeywordResponse> {
  throw new DomainError(12, "NOT_IMPLEMENTED_YET", { "zh-CN": "尚未实现。", en: "Not implemented yet." });
}
