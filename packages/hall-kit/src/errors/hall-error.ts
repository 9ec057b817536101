import type { Language } from "./language.js";

/** A text shown to people, in both languages the halls speak. */
export type Messages = Record<Language, string>;

/**
 * An error a hall answers itself (bad request, no session, too many requests), with an HTTP status, a stable
 * UPPER_SNAKE reason code branches on, and a message in both languages.
 */
export class HallError extends Error {
  constructor(
    readonly statusCode: number,
    readonly reason: string,
    readonly messages: Messages,
    readonly details?: Record<string, unknown>,
  ) {
    super(messages.en);
    this.name = "HallError";
  }
}

/** The errors every hall shares, worded once. */
export const HALL_ERRORS = {
  routeNotFound: () =>
    new HallError(404, "ROUTE_NOT_FOUND", { "zh-CN": "没有这个接口。", en: "There is no such endpoint." }),
  urlMalformed: () =>
    new HallError(400, "URL_MALFORMED", { "zh-CN": "请求地址格式不正确。", en: "The request URL is malformed." }),
  bodyMalformed: () =>
    new HallError(400, "BODY_MALFORMED", {
      "zh-CN": "请求内容不是有效的 JSON。",
      en: "The request body is not valid JSON.",
    }),
  mediaTypeUnsupported: () =>
    new HallError(415, "MEDIA_TYPE_UNSUPPORTED", {
      "zh-CN": "请以 application/json 格式提交。",
      en: "Send the request body as application/json.",
    }),
  bodyTooLarge: () =>
    new HallError(413, "BODY_TOO_LARGE", { "zh-CN": "请求内容过大。", en: "The request body is too large." }),
  headersTooLarge: () =>
    new HallError(431, "HEADERS_TOO_LARGE", { "zh-CN": "请求头过大。", en: "The request headers are too large." }),
  requestTimeout: () =>
    new HallError(408, "REQUEST_TIMEOUT", { "zh-CN": "请求超时。", en: "The request took too long to arrive." }),
  requestMalformed: () =>
    new HallError(400, "REQUEST_MALFORMED", { "zh-CN": "请求格式不正确。", en: "The request is malformed." }),
  requestRejected: (statusCode: number) =>
    new HallError(statusCode, "REQUEST_REJECTED", {
      "zh-CN": "请求无法处理。",
      en: "The request cannot be processed.",
    }),
  requestInvalid: (issues: string[]) =>
    new HallError(
      400,
      "REQUEST_INVALID",
      { "zh-CN": `请求参数不正确：${issues.join("；")}`, en: `The request is not valid: ${issues.join("; ")}` },
      { issues },
    ),
  idempotencyKeyRequired: () =>
    new HallError(400, "IDEMPOTENCY_KEY_REQUIRED", {
      "zh-CN": "此请求需要 Idempotency-Key 请求头（8 至 64 位字母、数字、- 或 _）。",
      en: "This request needs an Idempotency-Key header (8 to 64 letters, digits, - or _).",
    }),
  rateLimited: (retryAfterSeconds: number) =>
    new HallError(
      429,
      "RATE_LIMITED",
      {
        "zh-CN": `请求过于频繁，请 ${retryAfterSeconds} 秒后再试。`,
        en: `Too many requests. Please try again in ${retryAfterSeconds} s.`,
      },
      { retryAfterSeconds },
    ),
  sessionRequired: () => new HallError(401, "SESSION_REQUIRED", { "zh-CN": "请先登录。", en: "Please log in first." }),
  sessionExpired: () =>
    new HallError(401, "SESSION_EXPIRED", {
      "zh-CN": "登录已过期，请重新登录。",
      en: "Your session has expired. Please log in again.",
    }),
  sessionInvalid: () =>
    new HallError(401, "SESSION_INVALID", {
      "zh-CN": "登录状态无效，请重新登录。",
      en: "Your session is not valid. Please log in again.",
    }),
  sessionRevoked: () =>
    new HallError(401, "SESSION_REVOKED", {
      "zh-CN": "您已退出登录，请重新登录。",
      en: "You have been logged out. Please log in again.",
    }),
  sessionKindNotAllowed: () =>
    new HallError(403, "SESSION_KIND_NOT_ALLOWED", {
      "zh-CN": "当前登录身份无权使用此功能。",
      en: "This function is not available to the identity you are logged in as.",
    }),
  csrfTokenInvalid: () =>
    new HallError(403, "CSRF_TOKEN_INVALID", {
      "zh-CN": "页面已失效，请刷新后重试。",
      en: "This page is out of date. Please reload it and try again.",
    }),
  serviceTrouble: (statusCode = 502, reason = "SERVICE_ERROR") => new HallError(statusCode, reason, SERVICE_TROUBLE),
  internal: () => new HallError(500, "INTERNAL", SERVICE_TROUBLE),
};

export const SERVICE_TROUBLE: Messages = {
  "zh-CN": "服务暂时不可用，请稍后再试。",
  en: "The service is temporarily unavailable. Please try again later.",
};
