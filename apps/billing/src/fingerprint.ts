import { createHash } from "node:crypto";

/**
 * What makes two requests "the same" for idempotency: a hash of their parameters. A retry must match the first
 * request's fingerprint; the same request_id with other parameters is a client bug, refused as REQUEST_ID_REUSED.
 */
export function fingerprintOf(parameters: Record<string, string | bigint | number>): string {
  const canonical = Object.keys(parameters)
    .sort()
    .map((key) => `${key}=${String(parameters[key])}`)
    .join("\n");
  return createHash("sha256").update(canonical).digest("hex");
}
