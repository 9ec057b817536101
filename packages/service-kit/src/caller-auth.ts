import { createHash } from "node:crypto";
import type { PeerCertificate } from "node:tls";
import type { Metadata } from "@grpc/grpc-js";
import type { CallerKeys } from "@omnihall/config";
import { unauthenticated } from "./domain-error.js";

/** Metadata key a caller presents its key in, as `Bearer <key>`. */
export const AUTHORIZATION_KEY = "authorization";

const digest = (key: string) => createHash("sha256").update(key).digest();

/**
 * Builds the check that names who is calling from the `authorization: Bearer <key>` metadata. The presented key
 * is looked up by its SHA-256 digest: one hash per call whatever the number of callers, and the lookup's timing
 * can only tell about digests, which say nothing about the keys.
 */
export function createCallerAuthenticator(
  callers: CallerKeys,
): (metadata: Metadata, peerCertificate?: PeerCertificate) => string {
  const known = new Map([...callers].map(([name, key]) => [digest(key).toString("base64"), name]));
  return (metadata, peerCertificate) => {
    const header = metadata.get(AUTHORIZATION_KEY)[0];
    const match = typeof header === "string" ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
    if (!match) {
      throw unauthenticated("CALLER_CREDENTIALS_MISSING", {
        "zh-CN": "缺少调用方凭据（authorization: Bearer <key>）。",
        en: "Caller credentials are missing (authorization: Bearer <key>).",
      });
    }
    const caller = known.get(digest(match[1]!).toString("base64"));
    if (caller === undefined) {
      throw unauthenticated("CALLER_UNKNOWN", {
        "zh-CN": "调用方凭据无效。",
        en: "The caller credentials are not recognised.",
      });
    }
    // Over mutual TLS the certificate names the caller too: a key presented from another app's certificate
    // (a leaked key used elsewhere) is refused.
    const certified = peerCertificate?.subject?.CN;
    if (certified !== undefined && certified !== caller) {
      throw unauthenticated("CALLER_CERTIFICATE_MISMATCH", {
        "zh-CN": "调用方凭据与客户端证书不符。",
        en: "The caller credentials do not match the client certificate.",
      });
    }
    return caller;
  };
}
