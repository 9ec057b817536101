import type { LoginCodeIssuedEvent } from "@omnihall/proto/omnihall/customer/v1/events";
import type { Notice } from "./notice.js";

/**
 * The SMS carrying a login code (opened from the event by the caller); the code's remaining life is counted from
 * when the event was published. The code is a secret variable: stored masked, sent sealed. One code per number
 * per expiry time (codes of one number are at least the resend interval apart), so that names the fact without
 * naming the code.
 */
export function loginCodeNotice(event: LoginCodeIssuedEvent, code: string, publishedAt: Date): Notice {
  const expireTime = event.expireTime ?? publishedAt;
  const minutes = Math.max(1, Math.round((expireTime.getTime() - publishedAt.getTime()) / 60_000));
  return {
    templateCode: "LOGIN_CODE",
    variables: { code, minutes: String(minutes) },
    dedupeKey: `login-code:${event.subscriberId}:${expireTime.toISOString()}`,
    secretVariables: ["code"],
  };
}
