import type { Locale } from "@omnihall/ui";
import createClient, { type Middleware } from "openapi-fetch";
import type { paths } from "../../src/generated/openapi";

/** The hall's error envelope, as thrown to pages: `messages` holds both languages, pages show their own. */
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
/** The App keeps this in step with the language switch, so the hall answers errors in the page's language. */
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

/** The typed client of the web hall's own API, generated from its /openapi.json (no other origin is called). */
export const api = createClient<paths>({ baseUrl: globalThis.location?.origin ?? "" });
api.use(hallHeaders);

interface Answer<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** The data of an answer, or an ApiError with the envelope's reason and messages. */
export async function ok<T>(call: Promise<Answer<T>>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  const envelope = (error as { error?: { reason?: string; messages?: Record<string, string> } } | undefined)?.error;
  throw new ApiError(response.status, envelope?.reason ?? "HTTP_" + response.status, {
    "zh-CN": envelope?.messages?.["zh-CN"],
    en: envelope?.messages?.en,
  });
}

/** A fresh idempotency key per user action (a retry of the same action reuses it). */
export function newIdempotencyKey(): string {
  return crypto.randomUUID();
}
