import { alreadyExists, invalidArgument, type LocalizedMessages } from "./domain-error.js";

/**
 * Errors every service words the same way: a bad field and the request_id rules of AIP-155. One wording here, so a
 * subscriber or operator reads the same sentence whichever service refused them.
 */

/** INVALID_ARGUMENT for one bad request field, with the field named in a BadRequest violation. */
export function badField(reason: string, field: string, messages: LocalizedMessages) {
  return invalidArgument(reason, messages, { fieldViolations: [{ field, reason, messages }] });
}

/** A mutation without its request_id. */
export const requestIdRequired = () =>
  badField("REQUEST_ID_REQUIRED", "request_id", {
    "zh-CN": "请求缺少 request_id（用于防止重复提交）。",
    en: "The request needs a request_id (it makes retries safe).",
  });

/** A request_id already used for another request. */
export const requestIdReused = () =>
  alreadyExists("REQUEST_ID_REUSED", {
    "zh-CN": "该 request_id 已用于另一个不同的请求。",
    en: "This request_id was already used for a different request.",
  });
