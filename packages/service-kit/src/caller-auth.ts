import { createHash, timingSafeEqual } from "node:crypto";
import type { Metadata } from "@grpc/grpc-js";
import type { CallerKeys } from "@omnihall/config";
import { unauthenticated } from "./domain-error.js";

/** Metadata key a caller presents its key in, as `Bearer <key>`. */
export const AUTHORIZATION_KEY = "authorization";

const digest = (key: string) => createHash("sha256").update(key).digest();

/**
 * Builds the check that names who is calling from the `authorization: Bearer <key>` metadata. Keys are compared
 * as SHA-256 digests with timingSafeEqual against every known caller, without stopping at a match, so the time
 * taken says nothing about which key (or how much of one) was right.
 */
export function createCallerAuthenticator(callers: CallerKeys): (metadata: Metadata) => string {
  const known = [...callers].map(([name, key]) => ({ name, digest: digest(key) }));
  return (metadata) => {
    const header = metadata.get(AUTHORIZATION_KEY)[0];
    const match = typeof header === "string" ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) {
      throw unauthenticated("CALLER_CREDENTIALS_MISSING", {
        "zh-CN": "缺少调用方凭据（authorization: Bearer <key>）。",
        en: "Caller credentials are missing (authorization: Bearer <key>).",
      });
    }
    const presented = digest(match[1]!);
    let caller: string | undefined;
    for (const candidate of known) {
      if (timingSafeEqual(candidate.digest, presented)) caller = candidate.name;
    }
    if (caller === undefined) {
      throw unauthenticated("CALLER_UNKNOWN", {
        "zh-CN": "调用方凭据无效。",
        en: "The caller credentials are not recognised.",
      });
    }
    return caller;
  };
}
