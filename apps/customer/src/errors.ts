import {
  failedPrecondition,
  invalidArgument,
  notFound,
  resourceExhausted,
  unauthenticated,
  type DomainError,
  type LocalizedMessages,
} from "@omnihall/service-kit";

/** ErrorInfo.domain of every error the customer service sends. */
export const CUSTOMER_ERROR_DOMAIN = "customer.omnihall";

/** A bad request field: INVALID_ARGUMENT whose reason is also the field violation's. */
function badField(field: string, reason: string, messages: LocalizedMessages): DomainError {
  return invalidArgument(reason, messages, { fieldViolations: [{ field, reason, messages }] });
}

export const msisdnMalformed = () =>
  badField("msisdn", "MSISDN_MALFORMED", {
    "zh-CN": "手机号码格式不正确，请输入 11 位中国大陆手机号码。",
    en: "The phone number is malformed; enter an 11-digit mainland China mobile number.",
  });

export const subscriberIdMalformed = () =>
  badField("subscriber_id", "SUBSCRIBER_ID_MALFORMED", {
    "zh-CN": "用户编号格式不正确。",
    en: 'The subscriber id is malformed; it looks like "sub_…".',
  });

export const lookupRequired = () =>
  invalidArgument("LOOKUP_REQUIRED", {
    "zh-CN": "请提供用户编号或手机号码。",
    en: "Give a subscriber id or a phone number.",
  });

export const subscriberNotFound = () =>
  notFound("SUBSCRIBER_NOT_FOUND", {
    "zh-CN": "未找到该用户。",
    en: "No such subscriber.",
  });

export const provinceUnknown = () =>
  badField("province_code", "PROVINCE_UNKNOWN", {
    "zh-CN": "省份代码无效，请使用两位字母的省份简称（如 GD、BJ）。",
    en: "Unknown province code; use the two-letter abbreviation (e.g. GD, BJ).",
  });

export const statusUnknown = () =>
  badField("status", "STATUS_UNKNOWN", {
    "zh-CN": "用户状态无效。",
    en: "Unknown subscriber status.",
  });

export const requestIdRequired = () =>
  badField("request_id", "REQUEST_ID_REQUIRED", {
    "zh-CN": "缺少请求编号（request_id，1–128 个字符），无法安全重试。",
    en: "A request_id (1–128 characters) is required so the request can be retried safely.",
  });

export const loginCodeMalformed = () =>
  badField("code", "LOGIN_CODE_MALFORMED", {
    "zh-CN": "验证码应为 6 位数字。",
    en: "The login code must be six digits.",
  });

/**
 * Why a login step was refused by the state of the number. Kept as data (not as the error itself) so the first
 * answer to a request can be stored and given again, word for word, to a retry.
 */
export type LoginRefusal =
  | { reason: "SUBSCRIBER_INACTIVE" }
  | { reason: "LOGIN_LOCKED"; unlockTime: string }
  | { reason: "LOGIN_CODE_TOO_SOON"; resendTime: string }
  | { reason: "LOGIN_CODE_WRONG"; attemptsLeft: number }
  | { reason: "LOGIN_CODE_EXPIRED" }
  | { reason: "LOGIN_CODE_MISSING" };

/** "14:05" in Beijing time, which is what a mainland subscriber reads a clock in. */
function beijingClock(iso: string): string {
  return new Intl.DateTimeFormat("en-GB", {
    timeZone: "Asia/Shanghai",
    hour: "2-digit",
    minute: "2-digit",
  }).format(new Date(iso));
}

/** Seconds from now until `iso`, rounded up, never negative: when a caller may try again. */
function secondsUntil(iso: string, now: Date): string {
  return String(Math.max(0, Math.ceil((new Date(iso).getTime() - now.getTime()) / 1000)));
}

export function loginRefusalError(refusal: LoginRefusal, now: Date): DomainError {
  switch (refusal.reason) {
    case "SUBSCRIBER_INACTIVE":
      return failedPrecondition(refusal.reason, {
        "zh-CN": "该号码已销户，无法登录。",
        en: "This number has been closed and cannot log in.",
      });
    case "LOGIN_LOCKED":
      return resourceExhausted(
        refusal.reason,
        {
          "zh-CN": `验证码错误次数过多，该号码已被暂时锁定，请于北京时间 ${beijingClock(refusal.unlockTime)} 后再试。`,
          en: `Too many wrong codes: this number is locked until ${beijingClock(refusal.unlockTime)} Beijing time.`,
        },
        { metadata: { unlockTime: refusal.unlockTime, retryAfterSeconds: secondsUntil(refusal.unlockTime, now) } },
      );
    case "LOGIN_CODE_TOO_SOON":
      return resourceExhausted(
        refusal.reason,
        {
          "zh-CN": "验证码已发送，请稍后再重新获取。",
          en: "A code was just sent; wait a moment before asking for another.",
        },
        { metadata: { resendTime: refusal.resendTime, retryAfterSeconds: secondsUntil(refusal.resendTime, now) } },
      );
    case "LOGIN_CODE_WRONG":
      return unauthenticated(
        refusal.reason,
        {
          "zh-CN": `验证码错误，还可尝试 ${refusal.attemptsLeft} 次。`,
          en: `Wrong code; ${refusal.attemptsLeft} ${refusal.attemptsLeft === 1 ? "attempt" : "attempts"} left.`,
        },
        { metadata: { attemptsLeft: String(refusal.attemptsLeft) } },
      );
    case "LOGIN_CODE_EXPIRED":
      return unauthenticated(refusal.reason, {
        "zh-CN": "验证码已过期，请重新获取。",
        en: "The code has expired; ask for a new one.",
      });
    case "LOGIN_CODE_MISSING":
      return unauthenticated(refusal.reason, {
        "zh-CN": "请先获取验证码，或验证码已使用，请重新获取。",
        en: "No code is waiting for this number (none was sent, or it was used); ask for a new one.",
      });
  }
}
