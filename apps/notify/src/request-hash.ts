import { createHash } from "node:crypto";

/**
 * A digest of what a mutating request asked for, stored with its first result: a retry with the same request_id
 * and the same digest gets that result back, a different digest is a reused request_id (AIP-155).
 */
export function requestHash(request: Record<string, unknown>): string {
  const canonical = JSON.stringify(request, (_key, value: unknown) => {
    if (value && typeof value === "object" && !Array.isArray(value)) {
      return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return value;
  });
  return createHash("sha256").update(canonical).digest("base64url");
}
