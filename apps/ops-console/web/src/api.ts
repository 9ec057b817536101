import { hallRequestHeaders, type Locale } from "@omnihall/ui";
import createClient from "openapi-fetch";
import type { paths } from "../../src/generated/openapi";

export { ApiError, ok } from "@omnihall/ui";

let pageLocale: Locale = "zh-CN";
/** The App keeps this in step with the language switch, so the console answers errors in the page's language. */
export function setApiLocale(locale: Locale) {
  pageLocale = locale;
}

/** The typed client of the console's own API, generated from its /openapi.json (no other origin is called). */
export const api = createClient<paths>({ baseUrl: globalThis.location?.origin ?? "" });
api.use(hallRequestHeaders(() => pageLocale));

type Json<P extends keyof paths, M extends keyof paths[P], S extends number> = paths[P][M] extends {
  responses: Record<S, { content: { "application/json": infer B } }>;
}
  ? B
  : never;

export type Operator = Json<"/v1/me", "get", 200>;
export type Campaign = Json<"/v1/campaigns/{campaignId}", "get", 200>["campaign"];
export type Spec = Campaign["spec"];
export type Creative = Spec["channels"][number]["creative"];
export type Estimate = Json<"/v1/audience-estimates", "post", 200>;
export type Funnel = Json<"/v1/campaigns/{campaignId}/funnel", "get", 200>;
export type AuditEntry = Json<"/v1/campaigns/{campaignId}/audit", "get", 200>["entries"][number];
export type Offering = Json<"/v1/offerings", "get", 200>["offerings"][number];

/** A fresh Idempotency-Key for one user action (a retry of that action reuses it). */
export function newKey(): string {
  return crypto.randomUUID().replaceAll("-", "");
}
