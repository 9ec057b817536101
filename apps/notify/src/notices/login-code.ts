import type { LoginCodeIssuedEvent } from "@omnihall/proto/omnihall/customer/v1/events";
import type { Notice } from "./notice.js";

/** The SMS carrying a login code; the code's remaining life is counted from when the event was published. */
export function loginCodeNotice(event: LoginCodeIssuedEvent, publishedAt: Date): Notice {
  const expireTime = event.expireTime ?? publishedAt;
  const minutes = Math.max(1, Math.round((expireTime.getTime() - publishedAt.getTime()) / 60_000));
  return {
    templateCode: "LOGIN_CODE",
    variables: { code: event.code, minutes: String(minutes) },
    dedupeKey: `login-code:${event.subscriberId}:${event.code}:${expireTime.toISOString()}`,
  };
}
