import type { Locale } from "@omnihall/ui";
import createClient, { type Middleware } from "openapi-fetch";
import type { components, paths } from "../../src/generated/openapi";

/** A refusal of the mini hall: its stable reason and its words in both languages. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    readonly messages: Partial<Record<Locale, string>>,
  ) {
    super(messages.en ?? reason);
  }
}

let pageLocale: Locale = "zh-CN";
export function setApiLocale(locale: Locale) {
  pageLocale = locale;
}

// The hall's CSRF cookie: `__Host-omnihall_csrf` with Secure cookies, `omnihall_csrf` when they are off (plain HTTP).
function csrfToken(): string {
  return document.cookie.match(/(?:^|;\s*)(?:__Host-)?omnihall_csrf=([^;]+)/)?.[1] ?? "";
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);
const hallHeaders: Middleware = {
  onRequest({ request }) {
    request.headers.set("accept-language", pageLocale);
    if (UNSAFE.has(request.method)) request.headers.set("x-csrf-token", csrfToken());
    return request;
  },
};

/** The typed client of the mini hall's own API, generated from its /openapi.json (no other origin is called). */
export const api = createClient<paths>({ baseUrl: globalThis.location?.origin ?? "" });
api.use(hallHeaders);

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of an answer, or an ApiError with the envelope's reason and messages. Network failures throw as is. */
export async function ok<T>(call: Promise<Answer<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  const envelope = (error as { error?: { reason?: string; messages?: Record<string, string> } } | undefined)?.error;
  throw new ApiError(response.status, envelope?.reason ?? `HTTP_${response.status}`, {
    "zh-CN": envelope?.messages?.["zh-CN"],
    en: envelope?.messages?.en,
  });
}

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
