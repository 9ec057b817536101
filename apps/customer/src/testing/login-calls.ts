import { randomUUID } from "node:crypto";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import type { CustomerHarness } from "./customer-harness.js";

/** StartLogin / VerifyLogin from the web hall, with a fresh request id unless the test reuses one. */
export function loginCalls({ client }: Pick<CustomerHarness, "client">) {
  return {
    start: (msisdn: string, requestId: string = randomUUID()) =>
      client.startLogin({ requestId, msisdn, channel: Channel.CHANNEL_WEB_HALL }),
    verify: (msisdn: string, code: string, requestId: string = randomUUID()) =>
      client.verifyLogin({ requestId, msisdn, code, channel: Channel.CHANNEL_WEB_HALL }),
  };
}

/** A six-digit code other than `code`. */
export function wrongCode(code: string): string {
  return String((Number(code) + 1) % 1_000_000).padStart(6, "0");
}
