import { createHmac, timingSafeEqual } from "node:crypto";
import type { Logger } from "pino";
import { segmentSms, SmsTooLongError } from "@omnihall/sms-link";
import {
  DeliveryReportListeners,
  SmsProviderError,
  type DeliveryReport,
  type DeliveryReportListener,
  type DeliveryStatus,
  type OutboundSms,
  type SmsProvider,
  type SmsSendResult,
} from "./provider.js";

/**
 * An SMS gateway reached over HTTPS. Contract (see README.md):
 *   → POST <url>, JSON { messageId, from, to, text }, headers Idempotency-Key: <messageId> and
 *     X-Omnihall-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>
 *   ← 2xx JSON { providerMessageIds: string[], parts?: number }
 * Delivery reports come back to a route of the notify service, signed the same way, as JSON
 * { providerMessageId, messageId?, status, errorCode? }; that route hands the raw body to acceptDeliveryReport.
 */

export const SIGNATURE_HEADER = "x-omnihall-signature";

export interface WebhookProviderConfig {
  url: string;
  /** Shared secret: signs our requests and verifies the gateway's delivery reports. */
  secret: string;
  /** Default 5 s. */
  timeoutMs?: number;
  /** How old a signed delivery report may be (replay window). Default 300 s. */
  signatureToleranceSeconds?: number;
  logger: Logger;
}

export class WebhookSmsProvider implements SmsProvider {
  private readonly listeners = new DeliveryReportListeners();
  private readonly closing = new AbortController();
  private readonly logger: Logger;

  constructor(private readonly config: WebhookProviderConfig) {
    this.logger = config.logger.child({ component: "webhook-provider" });
  }

  async send(message: OutboundSms): Promise<SmsSendResult> {
    if (this.closing.signal.aborted) throw new SmsProviderError("PROVIDER_CLOSED", "send after close()");
    const parts = countParts(message.text);
    const body = JSON.stringify({
      messageId: message.messageId,
      from: message.from,
      to: message.to,
      text: message.text,
    });
    const response = await this.post(body, message.messageId);
    if (!response.ok) throw httpRefusal(response, await response.text().catch(() => ""));
    const accepted = parseAcceptance(await response.json().catch(() => undefined));
    if (!accepted) {
      // The Idempotency-Key makes a retry safe even if the gateway did take the message.
      throw new SmsProviderError("PROVIDER_TEMPORARY", `unreadable ${response.status} response from the gateway`);
    }
    return { providerMessageIds: accepted.providerMessageIds, parts: accepted.parts ?? parts };
  }

  onDeliveryReport(listener: DeliveryReportListener): () => void {
    return this.listeners.add(listener);
  }

  /**
   * For the notify service's delivery-report route: verifies and parses the raw body, then hands the report
   * to the listeners. Throws DeliveryReportRejectedError (answer its httpStatus) or a listener's failure
   * (answer 5xx so the gateway sends it again).
   */
  async acceptDeliveryReport(rawBody: string, signatureHeader: string | undefined): Promise<DeliveryReport> {
    const report = parseDeliveryReportWebhook(rawBody, signatureHeader, {
      secret: this.config.secret,
      toleranceSeconds: this.config.signatureToleranceSeconds,
    });
    await this.listeners.emit(report);
    return report;
  }

  /** Aborts requests still waiting for the gateway (they fail with the retryable PROVIDER_CLOSED). */
  async close(): Promise<void> {
    this.closing.abort();
  }

  private async post(body: string, messageId: string): Promise<Response> {
    const timeoutMs = this.config.timeoutMs ?? 5000;
    try {
      return await fetch(this.config.url, {
        method: "POST",
        headers: {
          "content-type": "application/json",
          "idempotency-key": messageId,
          [SIGNATURE_HEADER]: signWebhookBody(this.config.secret, body),
        },
        body,
        redirect: "manual",
        signal: AbortSignal.any([this.closing.signal, AbortSignal.timeout(timeoutMs)]),
      });
    } catch (error) {
      if (this.closing.signal.aborted)
        throw new SmsProviderError("PROVIDER_CLOSED", "closed mid-request", { cause: error });
      if (error instanceof DOMException && error.name === "TimeoutError") {
        throw new SmsProviderError("TIMEOUT", `no answer from the gateway within ${timeoutMs} ms`, { cause: error });
      }
      this.logger.warn({ err: error }, "SMS gateway unreachable");
      throw new SmsProviderError("CONNECTION_LOST", `gateway unreachable: ${String(error)}`, { cause: error });
    }
  }
}

/** The X-Omnihall-Signature value for a body: t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">. */
export function signWebhookBody(secret: string, rawBody: string, timestampSeconds = nowSeconds()): string {
  return `t=${timestampSeconds},v1=${hmac(secret, timestampSeconds, rawBody)}`;
}

/** Whether a signature header is valid for the body and no older (or newer) than the tolerance. */
export function verifyWebhookSignature(
  secret: string,
  rawBody: string,
  signatureHeader: string | undefined,
  { toleranceSeconds = 300, now = nowSeconds() }: { toleranceSeconds?: number; now?: number } = {},
): boolean {
  const fields = new Map(
    (signatureHeader ?? "").split(",").map((field) => field.trim().split("=", 2) as [string, string | undefined]),
  );
  const timestamp = Number(fields.get("t"));
  const signature = fields.get("v1");
  if (!Number.isInteger(timestamp) || !signature || Math.abs(now - timestamp) > toleranceSeconds) return false;
  const expected = Buffer.from(hmac(secret, timestamp, rawBody), "hex");
  const given = Buffer.from(signature, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}

export class DeliveryReportRejectedError extends Error {
  constructor(
    readonly reason: "SIGNATURE_INVALID" | "BODY_INVALID",
    /** What the route should answer: 401 for a bad signature, 400 for a bad body. */
    readonly httpStatus: 401 | 400,
    detail: string,
  ) {
    super(detail);
    this.name = "DeliveryReportRejectedError";
  }
}

const STATUSES: readonly DeliveryStatus[] = ["DELIVERED", "UNDELIVERABLE", "EXPIRED", "REJECTED"];

/** Verifies a delivery-report webhook and reads it. Throws DeliveryReportRejectedError. */
export function parseDeliveryReportWebhook(
  rawBody: string,
  signatureHeader: string | undefined,
  options: { secret: string; toleranceSeconds?: number; now?: number },
): DeliveryReport {
  if (!verifyWebhookSignature(options.secret, rawBody, signatureHeader, options)) {
    throw new DeliveryReportRejectedError("SIGNATURE_INVALID", 401, "missing, wrong or expired signature");
  }
  let body: unknown;
  try {
    body = JSON.parse(rawBody);
  } catch {
    throw new DeliveryReportRejectedError("BODY_INVALID", 400, "body is not JSON");
  }
  const { providerMessageId, messageId, status, errorCode } = (body ?? {}) as Record<string, unknown>;
  if (typeof providerMessageId !== "string" || providerMessageId === "") {
    throw new DeliveryReportRejectedError("BODY_INVALID", 400, "providerMessageId is required");
  }
  if (!STATUSES.includes(status as DeliveryStatus)) {
    throw new DeliveryReportRejectedError("BODY_INVALID", 400, `status must be one of ${STATUSES.join(", ")}`);
  }
  if (
    (messageId !== undefined && typeof messageId !== "string") ||
    (errorCode !== undefined && typeof errorCode !== "string")
  ) {
    throw new DeliveryReportRejectedError("BODY_INVALID", 400, "messageId and errorCode must be strings");
  }
  return {
    providerMessageId,
    status: status as DeliveryStatus,
    ...(messageId !== undefined && { messageId }),
    ...(errorCode !== undefined && { errorCode }),
  };
}

function hmac(secret: string, timestampSeconds: number, rawBody: string): string {
  return createHmac("sha256", secret).update(`${timestampSeconds}.${rawBody}`).digest("hex");
}

function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

function countParts(text: string): number {
  try {
    return segmentSms(text).parts.length;
  } catch (error) {
    if (error instanceof SmsTooLongError) throw new SmsProviderError("MESSAGE_TOO_LONG", error.message);
    throw error;
  }
}

function parseAcceptance(body: unknown): { providerMessageIds: string[]; parts?: number } | undefined {
  const { providerMessageIds, parts } = (body ?? {}) as Record<string, unknown>;
  const ids = Array.isArray(providerMessageIds) ? (providerMessageIds as unknown[]) : [];
  if (ids.length === 0 || !ids.every((id): id is string => typeof id === "string" && id !== "")) return undefined;
  if (parts !== undefined && !(Number.isInteger(parts) && (parts as number) > 0)) return undefined;
  return { providerMessageIds: ids, ...(parts !== undefined && { parts: parts as number }) };
}

/** 429 and 408 ask us to come back, 5xx is the gateway's own trouble; any other answer is final. */
function httpRefusal(response: Response, body: string): SmsProviderError {
  const { status } = response;
  const reason =
    status === 429 ? "THROTTLED" : status === 408 ? "TIMEOUT" : status >= 500 ? "PROVIDER_TEMPORARY" : "REJECTED";
  const retryAfterMs = parseRetryAfter(response.headers.get("retry-after"));
  return new SmsProviderError(reason, `gateway answered ${status}: ${body.slice(0, 200)}`, {
    providerCode: status,
    ...(retryAfterMs !== undefined && { retryAfterMs }),
  });
}

/** Retry-After is either delay-seconds or an HTTP date. */
function parseRetryAfter(value: string | null): number | undefined {
  if (!value) return undefined;
  if (/^\d+$/.test(value.trim())) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - Date.now());
}
