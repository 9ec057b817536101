import type { Locale } from "@omnihall/ui";
import createClient from "openapi-fetch";
import type { paths } from "../../src/generated/openapi";

/** A refusal of the kiosk hall: its stable reason and its words in both languages. */
export class KioskApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    readonly messages: Partial<Record<Locale, string>>,
  ) {
    super(messages.en ?? reason);
  }
}

let screenLocale: Locale = "zh-CN";
export const setScreenLocale = (locale: Locale) => {
  screenLocale = locale;
};

/** The kiosk hall's own API, typed from its /openapi.json. Unsafe methods carry the session's CSRF token. */
export const kioskApi = createClient<paths>({ baseUrl: globalThis.location?.origin ?? "" });
kioskApi.use({
  onRequest({ request }) {
    request.headers.set("accept-language", screenLocale);
    if (request.method !== "GET") {
      const csrf = document.cookie.match(/(?:^|;\s*)(?:__Host-)?omnihall_csrf=([^;]+)/)?.[1] ?? "";
      request.headers.set("x-csrf-token", csrf);
    }
    return request;
  },
});

/** The answer's data, or a KioskApiError from the hall's error envelope. */
export async function answer<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  const envelope = (error as { error?: { reason?: string; messages?: Record<string, string> } } | undefined)?.error;
  throw new KioskApiError(response.status, envelope?.reason ?? `HTTP_${response.status}`, {
    "zh-CN": envelope?.messages?.["zh-CN"],
    en: envelope?.messages?.en,
  });
}
