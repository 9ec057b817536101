import { hallRequestHeaders, type Locale } from "@omnihall/ui";
import createClient from "openapi-fetch";
import type { components, paths } from "../../src/generated/openapi";

export { ApiError, ok } from "@omnihall/ui";

let pageLocale: Locale = "zh-CN";
/** The App keeps this in step with the language switch, so the hall answers errors in the page's language. */
export function setApiLocale(locale: Locale) {
  pageLocale = locale;
}

/** The typed client of the mini hall's own API, generated from its /openapi.json (no other origin is called). */
export const api = createClient<paths>({ baseUrl: globalThis.location?.origin ?? "" });
api.use(hallRequestHeaders(() => pageLocale));

type Schemas = components extends { schemas: infer S } ? S : never;
export type OpeningBody = paths["/v1/account-openings"]["post"]["requestBody"]["content"]["application/json"];
export type SyncAnswer = paths["/v1/sync"]["post"]["responses"][200]["content"]["application/json"];
export type SyncResult = NonNullable<SyncAnswer["results"]>[number];
export type Agent = NonNullable<
  paths["/v1/sessions"]["post"]["responses"][201]["content"]["application/json"]["agent"]
>;
export type PoolNumber = NonNullable<
  paths["/v1/numbers"]["get"]["responses"][200]["content"]["application/json"]["numbers"]
>[number];
export type Offering = NonNullable<
  paths["/v1/offerings"]["get"]["responses"][200]["content"]["application/json"]["offerings"]
>[number];
export type Receipt = paths["/v1/payments"]["post"]["responses"][201]["content"]["application/json"]["payment"];
export type Day = paths["/v1/day"]["get"]["responses"][200]["content"]["application/json"];
export type { Schemas };
