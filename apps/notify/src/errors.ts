import { status as GrpcStatus } from "@grpc/grpc-js";
import { DomainError, type LocalizedMessages } from "@omnihall/service-kit";

/**
 * Every error NotifyService sends, by reason: one place for the status code and the zh-CN/en wording, so a
 * reason always means the same thing whichever RPC returns it.
 */
const ERRORS = {
  REQUEST_ID_REQUIRED: [GrpcStatus.INVALID_ARGUMENT, "缺少请求编号（request_id）。", "request_id is required."],
  SUBSCRIBER_ID_MALFORMED: [
    GrpcStatus.INVALID_ARGUMENT,
    "用户编号格式不正确，应以 sub_ 开头。",
    'The subscriber id is malformed; it starts with "sub_".',
  ],
  MSISDN_MALFORMED: [
    GrpcStatus.INVALID_ARGUMENT,
    "手机号码格式不正确，应为 11 位数字。",
    "The phone number is malformed; it has 11 digits.",
  ],
  LOOKUP_REQUIRED: [
    GrpcStatus.INVALID_ARGUMENT,
    "请提供用户编号或手机号码。",
    "Give a subscriber id or a phone number.",
  ],
  MESSAGE_ID_MALFORMED: [
    GrpcStatus.INVALID_ARGUMENT,
    "消息编号格式不正确，应以 msg_ 开头。",
    'The message id is malformed; it starts with "msg_".',
  ],
  MESSAGE_KIND_REQUIRED: [
    GrpcStatus.INVALID_ARGUMENT,
    "请指明消息类型：服务类或营销类。",
    "Say whether the message is a service or a marketing message.",
  ],
  TEMPLATE_UNKNOWN: [GrpcStatus.INVALID_ARGUMENT, "没有这个短信模板。", "There is no template with this code."],
  TEMPLATE_KIND_MISMATCH: [
    GrpcStatus.INVALID_ARGUMENT,
    "模板类型与消息类型不符：服务类短信不能使用营销模板，营销短信也不能使用服务模板。",
    "The template is of the other kind: service messages cannot use marketing templates, nor the other way round.",
  ],
  TEMPLATE_VARIABLE_MISSING: [
    GrpcStatus.INVALID_ARGUMENT,
    "模板变量缺失或为空。",
    "A template variable is missing or empty.",
  ],
  TEMPLATE_VARIABLE_UNKNOWN: [
    GrpcStatus.INVALID_ARGUMENT,
    "模板中没有这个变量。",
    "The template has no variable with this name.",
  ],
  TEMPLATE_VARIABLE_TOO_LONG: [
    GrpcStatus.INVALID_ARGUMENT,
    "模板变量过长，每个变量最多 200 个字符。",
    "A template variable is too long; each takes at most 200 characters.",
  ],
  CAMPAIGN_ID_REQUIRED: [
    GrpcStatus.INVALID_ARGUMENT,
    "营销短信必须注明所属营销活动。",
    "A marketing message needs the campaign it belongs to.",
  ],
  RECIPIENTS_REQUIRED: [GrpcStatus.INVALID_ARGUMENT, "请至少提供一位收信人。", "Give at least one recipient."],
  TOO_MANY_RECIPIENTS: [
    GrpcStatus.INVALID_ARGUMENT,
    "一批最多 500 位收信人。",
    "A batch takes at most 500 recipients.",
  ],
  DEDUPE_KEY_MALFORMED: [
    GrpcStatus.INVALID_ARGUMENT,
    "去重键格式不正确：1–128 个字母、数字或 _ - : .。",
    "The dedupe key is malformed: 1–128 letters, digits or _ - : .",
  ],
  CAMPAIGN_ID_NOT_ALLOWED: [
    GrpcStatus.INVALID_ARGUMENT,
    "服务类短信不能属于营销活动。",
    "A service message cannot belong to a campaign.",
  ],
  CHANNEL_REQUIRED: [GrpcStatus.INVALID_ARGUMENT, "请注明办理渠道。", "Say which hall the request came through."],
  EVIDENCE_REQUIRED: [
    GrpcStatus.INVALID_ARGUMENT,
    "请记录用户同意的凭证（1 至 500 个字符）。",
    "Record what proves the consent (1 to 500 characters).",
  ],
  EVIDENCE_TOO_LONG: [GrpcStatus.INVALID_ARGUMENT, "凭证最多 500 个字符。", "Evidence takes at most 500 characters."],
  CALLER_NOT_ALLOWED: [
    GrpcStatus.PERMISSION_DENIED,
    "营销短信只能由营销活动系统发送。",
    "Marketing messages are sent by the campaign system only.",
  ],
  SUBSCRIBER_NOT_FOUND: [GrpcStatus.NOT_FOUND, "找不到该用户。", "No such subscriber."],
  MESSAGE_NOT_FOUND: [GrpcStatus.NOT_FOUND, "找不到该消息。", "No such message."],
  MARKETING_CONSENT_MISSING: [
    GrpcStatus.FAILED_PRECONDITION,
    "该用户未同意接收营销短信。",
    "The subscriber has not agreed to marketing messages.",
  ],
  MARKETING_OPTED_OUT: [
    GrpcStatus.FAILED_PRECONDITION,
    "该用户已退订营销短信。",
    "The subscriber has opted out of marketing messages.",
  ],
  SUBSCRIBER_INACTIVE: [
    GrpcStatus.FAILED_PRECONDITION,
    "该号码已停机或销户，不能发送营销短信。",
    "The number is suspended or closed; marketing cannot be sent to it.",
  ],
  REQUEST_ID_REUSED: [
    GrpcStatus.ALREADY_EXISTS,
    "该请求编号已用于另一个不同的请求。",
    "This request_id was already used for a different request.",
  ],
  CUSTOMER_UNAVAILABLE: [
    GrpcStatus.UNAVAILABLE,
    "暂时无法查询用户信息，请稍后重试。",
    "Subscriber details cannot be looked up right now; try again shortly.",
  ],
} as const satisfies Record<string, readonly [GrpcStatus, string, string]>;

export type NotifyErrorReason = keyof typeof ERRORS;

/** The error for a reason; `field` names the request field at fault (google.rpc.BadRequest) for bad input. */
export function notifyError(
  reason: NotifyErrorReason,
  options: { field?: string; detail?: string; cause?: unknown } = {},
) {
  const [code, zh, en] = ERRORS[reason];
  const messages: LocalizedMessages = {
    "zh-CN": options.detail ? `${zh}（${options.detail}）` : zh,
    en: options.detail ? `${en} (${options.detail})` : en,
  };
  const fieldViolations = options.field ? [{ field: options.field, reason, messages }] : undefined;
  return new DomainError(code, reason, messages, { fieldViolations, cause: options.cause });
}
