import { hallRequestHeaders, type Locale } from "@omnihall/ui";
import createClient from "openapi-fetch";
import type { paths } from "../../src/generated/openapi";

export { ApiError, ok } from "@omnihall/ui";

let pageLocale: Locale = "zh-CN";
/** The App keeps this in step with the language switch, so the hall answers errors in the page's language. */
export function setApiLocale(locale: Locale) {
  pageLocale = locale;
}

/** The typed client of the web hall's own API, generated from its /openapi.json (no other origin is called). */
export const api = createClient<paths>({ baseUrl: globalThis.location?.origin ?? "" });
api.use(hallRequestHeaders(() => pageLocale));

/** A fresh idempotency key per user action (a retry of the same action reuses it). */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}
