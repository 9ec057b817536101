import { aborted, badField, failedPrecondition, permissionDenied } from "@omnihall/service-kit";

/**
 * Every error the campaign service returns, in one place so each reason has one wording in both languages. The
 * reasons are the contract (listed on each RPC in campaign.proto); the texts are for people.
 */

export { badField, requestIdRequired, requestIdReused } from "@omnihall/service-kit";

export const campaignIdMalformed = () =>
  badField("CAMPAIGN_ID_MALFORMED", "campaign_id", {
    "zh-CN": "活动编号格式不正确（应以 cmp_ 开头）。",
    en: 'The campaign id is malformed (it starts with "cmp_").',
  });

export const campaignNotDraft = (state: string) =>
  failedPrecondition(
    "CAMPAIGN_NOT_DRAFT",
    {
      "zh-CN": "活动已提交审批或已运行，不能再修改；请先驳回为草稿。",
      en: "The campaign was submitted or has run and can no longer change; it must be rejected back to draft first.",
    },
    { metadata: { state } },
  );

export const campaignChanged = () =>
  aborted("CAMPAIGN_CHANGED", {
    "zh-CN": "活动已被他人修改，请刷新后重试。",
    en: "Someone else changed the campaign; reload it and try again.",
  });

export const stateTransitionInvalid = (from: string, action: string) =>
  failedPrecondition(
    "STATE_TRANSITION_INVALID",
    {
      "zh-CN": `活动当前状态为 ${from}，不能执行该操作（${action}）。`,
      en: `The campaign is ${from}: it cannot be ${action}.`,
    },
    { metadata: { from, action } },
  );

export const scheduleEnded = () =>
  failedPrecondition("SCHEDULE_ENDED", {
    "zh-CN": "活动的结束时间已过。",
    en: "The campaign's end time has passed.",
  });

export const authorCannotApprove = () =>
  permissionDenied("AUTHOR_CANNOT_APPROVE", {
    "zh-CN": "活动需由创建人以外的审批人审批。",
    en: "A campaign must be approved by someone other than its author.",
  });

export const rejectionReasonRequired = () =>
  badField("REJECTION_REASON_REQUIRED", "reason", {
    "zh-CN": "请说明驳回原因。",
    en: "Give a reason for the rejection.",
  });

export const channelInvalid = (field: string) =>
  badField("CHANNEL_INVALID", field, {
    "zh-CN": "渠道无效（应为网上营业厅、短信营业厅、自助终端或掌上营业厅）。",
    en: "The channel is not valid (web hall, SMS hall, kiosk or mini hall).",
  });

export const provinceCodeUnknown = (field: string, code: string) =>
  badField("PROVINCE_CODE_UNKNOWN", field, {
    "zh-CN": `未知的省份编码“${code}”。`,
    en: `Unknown province code "${code}".`,
  });

export const stateInvalid = () =>
  badField("STATE_INVALID", "states", {
    "zh-CN": "活动状态无效。",
    en: "The campaign state is not valid.",
  });
