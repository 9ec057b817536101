/**
 * What the notify service needs from an SMS delivery channel. Providers deliver, they do not decide:
 * no retries, no dedupe, no persistence. The caller retries errors marked retryable (with backoff and
 * its own dedupe on messageId) and stores providerMessageIds to match delivery reports after a restart.
 */

export interface OutboundSms {
  /** Our id for the message: the dedupe key, sent as the idempotency key where the channel has one. */
  messageId: string;
  /** Sender: short code, long number or alphanumeric sender id. */
  from: string;
  /** Recipient MSISDN. */
  to: string;
  text: string;
}

export interface SmsSendResult {
  /** The provider's id for each part, in part order; delivery reports name these. */
  providerMessageIds: string[];
  /** How many SMS parts were sent (what the operator bills). */
  parts: number;
}

/** Final outcome of one part. Intermediate states (en route, accepted) are not reported. */
export type DeliveryStatus = "DELIVERED" | "UNDELIVERABLE" | "EXPIRED" | "REJECTED";

export interface DeliveryReport {
  providerMessageId: string;
  /** Ours, when the provider still knows it: the SMPP provider remembers recent sends in memory only. */
  messageId?: string;
  status: DeliveryStatus;
  /** The network's or gateway's error code, as given (e.g. the receipt's `err:` field). */
  errorCode?: string;
  /**
   * Who the part was for and the reference the channel echoed from the submit (see SmsProvider.receiptTrace), so a
   * receipt for a submit we never recorded still finds its message.
   */
  trace?: ReceiptTrace;
}

/** The receipts a message's submits will bring: the trace each carries, one per part (see receiptTrace). */
export interface ExpectedReceipts {
  trace: ReceiptTrace;
  parts: number;
}

/** What a channel's receipts carry that ties them to our message without the provider's id: see receiptTrace. */
export interface ReceiptTrace {
  /** The recipient MSISDN (the receipt's originator). */
  recipient: string;
  /** The reference every submit of the message carried and the receipt echoes. */
  reference: string;
}

/**
 * Receives delivery reports. The report is acknowledged to the provider only after the returned promise
 * resolves; a rejection makes the provider ask for it again later (SMPP temporary error, HTTP 5xx).
 */
export type DeliveryReportListener = (report: DeliveryReport) => void | Promise<void>;

export interface SmsProvider {
  /** Sends every part of the text. Rejects with SmsProviderError. */
  send(message: OutboundSms): Promise<SmsSendResult>;
  /** Subscribes to delivery reports (one per part); returns the unsubscribe function. */
  onDeliveryReport(listener: DeliveryReportListener): () => void;
  /**
   * For a message whose last submit is in doubt (written, never recorded): the trace its receipts carry and how
   * many parts it has, so the dispatcher can find out from receipts already in whether the SMSC took it before
   * sending it again. Absent where the channel's receipts carry nothing of ours (CMPP's status reports name only
   * the gateway's Msg_Id) or where a resend is harmless (the webhook's gateway dedupes on the Idempotency-Key).
   */
  receiptTrace?(message: OutboundSms): ExpectedReceipts;
  /** Stops taking sends, lets sends already on the wire finish, then disconnects. */
  close(): Promise<void>;
}

type Localized = { "zh-CN": string; en: string };

const SEND_ERRORS = {
  CONNECTION_LOST: {
    retryable: true,
    "zh-CN": "与短信中心的连接中断，消息可能未发出",
    en: "The connection to the SMS centre was lost; the message may not have been sent",
  },
  TIMEOUT: {
    retryable: true,
    "zh-CN": "短信中心未及时响应，消息可能未发出",
    en: "The SMS centre did not answer in time; the message may not have been sent",
  },
  THROTTLED: {
    retryable: true,
    "zh-CN": "短信中心要求降低发送速率",
    en: "The SMS centre asked us to send more slowly",
  },
  PROVIDER_TEMPORARY: {
    retryable: true,
    "zh-CN": "短信中心暂时无法处理该消息",
    en: "The SMS centre cannot take the message right now",
  },
  PROVIDER_CLOSED: {
    retryable: true,
    "zh-CN": "短信通道正在关闭，未发送该消息",
    en: "The SMS channel is shutting down; the message was not sent",
  },
  BIND_REJECTED: {
    retryable: false,
    "zh-CN": "短信中心拒绝登录，请检查账号和密码",
    en: "The SMS centre refused the login; check the system id and password",
  },
  INVALID_DESTINATION: {
    retryable: false,
    "zh-CN": "接收号码无效",
    en: "The recipient number is not valid",
  },
  INVALID_SOURCE: {
    retryable: false,
    "zh-CN": "发送号码无效或未获授权",
    en: "The sender number is not valid or not allowed",
  },
  MESSAGE_TOO_LONG: {
    retryable: false,
    "zh-CN": "短信内容过长，超过 255 条拼接短信",
    en: "The text is too long: it needs more than 255 concatenated parts",
  },
  REJECTED: {
    retryable: false,
    "zh-CN": "短信中心拒绝了该消息",
    en: "The SMS centre refused the message",
  },
} satisfies Record<string, Localized & { retryable: boolean }>;

/** Stable, UPPER_SNAKE reason of a failed send or connect. */
export type SmsErrorReason = keyof typeof SEND_ERRORS;

export class SmsProviderError extends Error {
  readonly retryable: boolean;
  /** For people: what went wrong, in zh-CN and en. */
  readonly localizedMessage: Localized;
  /** What the provider answered: SMPP command_status, HTTP status. */
  readonly providerCode: number | undefined;
  /** How long the provider asked us to wait (HTTP Retry-After). */
  readonly retryAfterMs: number | undefined;
  /** Set when a multipart send failed part-way: the parts the provider accepted before the failure. */
  acceptedProviderMessageIds: string[] = [];

  constructor(
    readonly reason: SmsErrorReason,
    /** Technical detail for logs (not for people). */
    readonly detail: string,
    options: { providerCode?: number; retryAfterMs?: number; cause?: unknown } = {},
  ) {
    const { retryable, ...localizedMessage } = SEND_ERRORS[reason];
    super(`${localizedMessage.en}: ${detail}`, { cause: options.cause });
    this.name = "SmsProviderError";
    this.retryable = retryable;
    this.localizedMessage = localizedMessage;
    this.providerCode = options.providerCode;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** The listeners of one provider: delivers a report to all of them and fails if any of them failed. */
export class DeliveryReportListeners {
  private readonly listeners = new Set<DeliveryReportListener>();

  add(listener: DeliveryReportListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Resolves once every listener has taken the report; with no listener it rejects, so nothing is lost. */
  async emit(report: DeliveryReport): Promise<void> {
    if (this.listeners.size === 0) throw new Error("No delivery report listener is subscribed");
    const results = await Promise.allSettled([...this.listeners].map(async (listener) => listener(report)));
    const failures = results.flatMap((result) => (result.status === "rejected" ? [result.reason] : []));
    if (failures.length > 0) throw new AggregateError(failures, "A delivery report listener failed");
  }
}
