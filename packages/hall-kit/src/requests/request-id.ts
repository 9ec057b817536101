import { randomUUID } from "node:crypto";
import type { IncomingMessage } from "node:http";

/**
 * The request ids a hall accepts from its callers: the same shape the services accept in gRPC metadata (ASCII
 * word characters, `.`, `:`, `-`; at most 128). Anything else (`ü`, a 10 KB string, control characters) is
 * replaced by a fresh id, never echoed back, logged or forwarded.
 */
export const ACCEPTABLE_REQUEST_ID = /^[\w.:-]{1,128}$/;

/**
 * Fastify's genReqId. Fastify's own `requestIdHeader` must stay off: it takes the header as it is, unchecked.
 */
export function requestIdOf(request: IncomingMessage): string {
  const given = request.headers["x-request-id"];
  return typeof given === "string" && ACCEPTABLE_REQUEST_ID.test(given) ? given : randomUUID();
}
