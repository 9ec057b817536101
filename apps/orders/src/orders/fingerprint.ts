import { createHash } from "node:crypto";

/**
 * A hash of a request's parameters, stored with its request_id: a retry with the same id and the same
 * parameters gets the first result, the same id with other parameters is refused (REQUEST_ID_REUSED).
 */
export function fingerprint(parameters: unknown): string {
  const canonical = JSON.stringify(parameters, (_key, value: unknown) => {
    if (typeof value === "bigint") return value.toString();
    if (value instanceof Date) return value.toISOString();
    if (value && typeof value === "object" && !Array.isArray(value)) {
      return Object.fromEntries(Object.entries(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return value;
  });
  return createHash("sha256").update(canonical).digest("hex");
}
