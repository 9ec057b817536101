import type { Locale } from "./format.js";

/** A hall's refusal as pages see it: the status, the stable reason, the words in both languages. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly reason: string,
    readonly messages: Partial<Record<Locale, string>>,
  ) {
    super(messages.en ?? reason);
  }
}

// The hall's CSRF cookie: `__Host-omnihall_csrf` with Secure cookies, `omnihall_csrf` when they are off (plain HTTP).
function csrfToken(): string {
  return document.cookie.match(/(?:^|;\s*)(?:__Host-)?omnihall_csrf=([^;]+)/)?.[1] ?? "";
}

const UNSAFE = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * What a page adds to every call on its own hall (an openapi-fetch middleware): the page's language, so refusals
 * come back in it, and the CSRF token on every change a cookie session makes.
 */
export function hallRequestHeaders(locale: () => Locale) {
  return {
    onRequest({ request }: { request: Request }): Request {
      request.headers.set("accept-language", locale());
      if (UNSAFE.has(request.method)) request.headers.set("x-csrf-token", csrfToken());
      return request;
    },
  };
}

/** The data of an answer, or an ApiError with the hall's error envelope. Network failures throw as they are. */
export async function ok<T>(call: Promise<{ data?: T; error?: unknown; response: Response }>): Promise<T> {
  const { data, error, response } = await call;
  if (response.ok) return data as T;
  const envelope = (error as { error?: { reason?: string; messages?: Record<string, string> } } | undefined)?.error;
  throw new ApiError(response.status, envelope?.reason ?? `HTTP_${response.status}`, {
    "zh-CN": envelope?.messages?.["zh-CN"],
    en: envelope?.messages?.en,
  });
}
