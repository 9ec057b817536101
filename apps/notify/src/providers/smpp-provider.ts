import { createHash } from "node:crypto";
import type { Logger } from "pino";
import type smpp from "smpp";
import { segmentSms, SmppLink, SmsTooLongError, type SegmentedSms, type SmsPart } from "@omnihall/sms-link";
import {
  DeliveryReportListeners,
  SmsProviderError,
  type DeliveryReportListener,
  type OutboundSms,
  type ExpectedReceipts,
  type SmsProvider,
  type SmsSendResult,
} from "./provider.js";
import { isDeliveryReceipt, nationalNumber, parseReceipt } from "./smpp-receipt.js";
import { SMPP_STATUS, submitRefusal } from "./smpp-status.js";
import { TokenBucket } from "./token-bucket.js";
import { watchSmscWindow } from "../delivery/notify-metrics.js";

/** SMPP type of number / numbering plan of an address. */
export interface SmppAddressing {
  ton: number;
  npi: number;
}

export interface SmppProviderConfig {
  host: string;
  port: number;
  systemId: string;
  password: string;
  /** Default "". */
  systemType?: string;
  /** Most submit_sm awaiting their response at once (the window the SMSC allows). Default 10. */
  windowSize?: number;
  /** The rate agreed with the SMSC, in submit_sm (SMS parts) per second. Default 50. */
  messagesPerSecond?: number;
  /**
   * Submits allowed back to back after a quiet spell. Default: 10 ms worth of the rate, at least 1 (an even
   * pace for an ordinary rate). Timers cannot wait less than a millisecond (several on a busy machine), so a
   * bucket of 1 cannot go faster than one submit per timer tick, whatever the agreed rate.
   */
  burst?: number;
  /** Limit for the TCP connect and every response (bind, submit, enquire_link, unbind). Default 10 s. */
  responseTimeoutMs?: number;
  /** Default 30 s. */
  enquireLinkIntervalMs?: number;
  /** Backoff between reconnect attempts: doubles from `initialMs` up to `maxMs`. Default 1 s → 60 s. */
  reconnectDelay?: { initialMs: number; maxMs: number };
  /** Default TON 0 / NPI 0 (unknown: the SMSC decides), right for short codes like 10086. */
  sourceAddressing?: SmppAddressing;
  /** Default TON 2 national / NPI 1 ISDN: recipients are 11-digit mainland numbers. */
  destinationAddressing?: SmppAddressing;
  /** How many recent parts to remember for matching receipts to our messageId. Default 100 000. */
  rememberedParts?: number;
  logger: Logger;
}

/** registered_delivery: ask for a receipt on final success or failure. */
const FINAL_RECEIPT = 0x01;

interface QueuedSubmit {
  fields: Partial<smpp.PduFields>;
  resolve(providerMessageId: string): void;
  reject(error: SmsProviderError): void;
}

interface RememberedPart {
  providerMessageId: string;
  messageId: string;
}

/**
 * Sends SMS over one SMPP 3.4 transceiver bind. Submits queue behind a window (outstanding submit_sm) and
 * a token bucket (the SMSC's rate); the parts of one message go one after another. When the link drops it
 * rebinds with backoff; meanwhile sends fail at once with the retryable CONNECTION_LOST.
 */
export class SmppSmsProvider implements SmsProvider {
  private link: SmppLink<SmsProviderError> | undefined;
  private reconnecting: Promise<void> | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private reconnectAttempts = 0;
  private closing: Promise<void> | undefined;

  private readonly queue: QueuedSubmit[] = [];
  private inFlight = 0;
  private pumpTimer: NodeJS.Timeout | undefined;
  private idleWaiters: Array<() => void> = [];
  private readonly bucket: TokenBucket;

  /** Normalized provider id → part, oldest first, for receipts that arrive while we still remember. */
  private readonly recentParts = new Map<string, RememberedPart>();
  private readonly listeners = new DeliveryReportListeners();
  private readonly logger: Logger;
  private unwatchWindow: (() => void) | undefined;

  private constructor(private readonly config: SmppProviderConfig) {
    this.logger = config.logger.child({ component: "smpp-provider", smsc: `${config.host}:${config.port}` });
    const rate = config.messagesPerSecond ?? 50;
    this.bucket = new TokenBucket(rate, config.burst ?? Math.max(1, Math.ceil(rate / 100)));
    if (!(this.windowSize >= 1)) throw new RangeError(`windowSize must be at least 1, got ${this.windowSize}`);
  }

  /**
   * Binds to the SMSC. Refused credentials reject (BIND_REJECTED: a configuration error, better seen at once as a
   * failed start than as a notify that never sends). An SMSC that cannot be reached does not: notify starts
   * unbound — messages queue in its database, its readiness says "not bound" — and binds with backoff as soon as
   * the SMSC answers, as it does when a bound link drops. Otherwise a restart of the SMSC, or starting before it,
   * would crash-loop every notify instance.
   */
  static async connect(config: SmppProviderConfig): Promise<SmppSmsProvider> {
    const provider = new SmppSmsProvider(config);
    try {
      provider.link = await provider.openLink();
    } catch (error) {
      if (!(error instanceof SmsProviderError) || !error.retryable) throw error;
      provider.logger.error({ err: error }, "SMSC not reachable at start; binding with backoff");
      provider.scheduleReconnect();
    }
    provider.unwatchWindow = watchSmscWindow(`${config.host}:${config.port}`, () => ({
      inUse: provider.inFlight,
      size: provider.windowSize,
      queued: provider.queue.length,
    }));
    return provider;
  }

  /** Whether the link is bound right now (for readiness checks). */
  get bound(): boolean {
    return this.link !== undefined;
  }

  async send(message: OutboundSms): Promise<SmsSendResult> {
    if (this.closing) throw new SmsProviderError("PROVIDER_CLOSED", "send after close()");
    const sms = segment(message);
    const providerMessageIds: string[] = [];
    for (const part of sms.parts) {
      try {
        const providerMessageId = await this.submit(this.submitFields(message, sms, part));
        providerMessageIds.push(providerMessageId);
        this.remember({ providerMessageId, messageId: message.messageId });
      } catch (error) {
        if (error instanceof SmsProviderError) error.acceptedProviderMessageIds = [...providerMessageIds];
        throw error;
      }
    }
    return { providerMessageIds, parts: providerMessageIds.length };
  }

  onDeliveryReport(listener: DeliveryReportListener): () => void {
    return this.listeners.add(listener);
  }

  /** Every part's submit_sm carries user_message_reference (messageReference), which SMSCs echo in the receipt. */
  receiptTrace(message: OutboundSms): ExpectedReceipts {
    return {
      trace: { recipient: nationalNumber(message.to), reference: String(messageReference(message.messageId)) },
      parts: segment(message).parts.length,
    };
  }

  /** Fails queued submits with PROVIDER_CLOSED, waits for the ones on the wire, unbinds. Idempotent. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.unwatchWindow?.();
      clearTimeout(this.reconnectTimer);
      clearTimeout(this.pumpTimer);
      this.failQueued(new SmsProviderError("PROVIDER_CLOSED", "provider closed before the submit was sent"));
      await this.reconnecting;
      await this.idle();
      await this.link?.close();
      this.link = undefined;
    })();
    return this.closing;
  }

  private get windowSize(): number {
    return this.config.windowSize ?? 10;
  }

  private openLink(): Promise<SmppLink<SmsProviderError>> {
    const { config } = this;
    return SmppLink.open(
      {
        host: config.host,
        port: config.port,
        systemId: config.systemId,
        password: config.password,
        systemType: config.systemType ?? "",
        responseTimeoutMs: config.responseTimeoutMs ?? 10_000,
        enquireLinkIntervalMs: config.enquireLinkIntervalMs ?? 30_000,
        makeError: (reason, detail, options) => new SmsProviderError(reason, detail, options),
        logger: this.logger,
      },
      {
        onDeliverSm: (pdu) => this.onDeliverSm(pdu),
        onDown: (error) => this.onLinkDown(error),
      },
    );
  }

  private onLinkDown(error: SmsProviderError): void {
    this.link = undefined;
    this.failQueued(error);
    if (!this.closing) this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const { initialMs, maxMs } = this.config.reconnectDelay ?? { initialMs: 1000, maxMs: 60_000 };
    // ±20 % jitter so a fleet of notify instances does not rebind in lockstep.
    const delay = Math.min(maxMs, initialMs * 2 ** this.reconnectAttempts) * (0.8 + Math.random() * 0.4);
    this.reconnectAttempts++;
    this.reconnectTimer = setTimeout(() => {
      this.reconnecting = this.reconnect().finally(() => (this.reconnecting = undefined));
    }, delay);
  }

  private async reconnect(): Promise<void> {
    try {
      const link = await this.openLink();
      if (this.closing) return await link.close();
      this.link = link;
      this.reconnectAttempts = 0;
      this.logger.info("SMPP link rebound");
    } catch (error) {
      this.logger.error({ err: error, attempt: this.reconnectAttempts }, "SMPP rebind failed");
      if (!this.closing) this.scheduleReconnect();
    }
  }

  private submitFields(message: OutboundSms, sms: SegmentedSms, part: SmsPart): Partial<smpp.PduFields> {
    const source = this.config.sourceAddressing ?? { ton: 0, npi: 0 };
    const destination = this.config.destinationAddressing ?? { ton: 2, npi: 1 };
    return {
      source_addr_ton: source.ton,
      source_addr_npi: source.npi,
      source_addr: message.from,
      dest_addr_ton: destination.ton,
      dest_addr_npi: destination.npi,
      destination_addr: message.to,
      esm_class: part.esmClass,
      registered_delivery: FINAL_RECEIPT,
      data_coding: sms.dataCoding,
      short_message: part.shortMessage,
      user_message_reference: messageReference(message.messageId),
    };
  }

  private submit(fields: Partial<smpp.PduFields>): Promise<string> {
    if (!this.link) return Promise.reject(new SmsProviderError("CONNECTION_LOST", "not bound to the SMSC"));
    return new Promise((resolve, reject) => {
      this.queue.push({ fields, resolve, reject });
      this.pump();
    });
  }

  /** Writes queued submits while the window has room and the bucket has tokens. */
  private pump(): void {
    while (this.link && this.queue.length > 0 && this.inFlight < this.windowSize && !this.pumpTimer) {
      const wait = this.bucket.take();
      if (wait > 0) {
        this.pumpTimer = setTimeout(() => {
          this.pumpTimer = undefined;
          this.pump();
        }, wait);
        return;
      }
      const { fields, resolve, reject } = this.queue.shift()!;
      this.inFlight++;
      this.link
        .request("submit_sm", fields)
        .then((response) => {
          if (response.command_status === SMPP_STATUS.ESME_ROK) resolve(response.message_id ?? "");
          else reject(submitRefusal(response.command_status));
        }, reject)
        .finally(() => {
          this.inFlight--;
          if (this.inFlight === 0) for (const wake of this.idleWaiters.splice(0)) wake();
          this.pump();
        });
    }
  }

  private failQueued(error: SmsProviderError): void {
    for (const { reject } of this.queue.splice(0)) reject(error);
  }

  private idle(): Promise<void> {
    return this.inFlight === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private async onDeliverSm(pdu: smpp.PDU): Promise<number> {
    if (!isDeliveryReceipt(pdu.esm_class ?? 0)) {
      // This bind is for sending; mobile-originated messages belong to whoever handles inbound SMS.
      this.logger.warn({ from: pdu.source_addr }, "mobile-originated deliver_sm refused");
      return SMPP_STATUS.ESME_RX_P_APPN;
    }
    const receipt = parseReceipt({
      text: shortMessageText(pdu.short_message),
      receiptedMessageId: pdu.receipted_message_id,
      messageState: pdu.message_state,
      networkErrorCode: pdu.network_error_code,
    });
    if (!receipt) {
      this.logger.warn({ receipt: pdu.short_message }, "delivery receipt names no message, dropped");
      return SMPP_STATUS.ESME_ROK;
    }
    if (!receipt.status) return SMPP_STATUS.ESME_ROK; // intermediate state; the final receipt follows
    const part = this.recall(receipt.providerMessageId);
    try {
      await this.listeners.emit({
        providerMessageId: part?.providerMessageId ?? receipt.providerMessageId,
        ...(part && { messageId: part.messageId }),
        status: receipt.status,
        ...(receipt.errorCode !== undefined && { errorCode: receipt.errorCode }),
        ...(pdu.user_message_reference !== undefined &&
          pdu.source_addr && {
            trace: { recipient: nationalNumber(pdu.source_addr), reference: String(pdu.user_message_reference) },
          }),
      });
    } catch (error) {
      this.logger.error({ err: error, providerMessageId: receipt.providerMessageId }, "delivery report not taken");
      return SMPP_STATUS.ESME_RX_T_APPN;
    }
    if (part) this.recentParts.delete(normalizeId(part.providerMessageId));
    return SMPP_STATUS.ESME_ROK;
  }

  private remember(part: RememberedPart): void {
    this.recentParts.set(normalizeId(part.providerMessageId), part);
    if (this.recentParts.size > (this.config.rememberedParts ?? 100_000)) {
      this.recentParts.delete(this.recentParts.keys().next().value!);
    }
  }

  /**
   * Finds the part a receipt is about. Some SMSCs answer submit_sm with a hex id but write it in decimal in
   * the receipt text, so a decimal id is also tried as hex.
   */
  private recall(providerMessageId: string): RememberedPart | undefined {
    const direct = this.recentParts.get(normalizeId(providerMessageId));
    if (direct || !/^\d+$/.test(providerMessageId)) return direct;
    return this.recentParts.get(normalizeId(BigInt(providerMessageId).toString(16)));
  }
}

function segment(message: OutboundSms): SegmentedSms {
  try {
    return segmentSms(message.text, concatReference(message.messageId));
  } catch (error) {
    if (error instanceof SmsTooLongError) throw new SmsProviderError("MESSAGE_TOO_LONG", error.message);
    throw error;
  }
}

/** Derived from our id so a retried message reuses its reference and a handset can still pair its parts. */
function concatReference(messageId: string): number {
  return createHash("sha256").update(messageId).digest()[0]!;
}

/**
 * user_message_reference (2 octets), derived from our id so every part and every attempt of a message carry the
 * same one. Two messages share one in 65,536: a receipt is matched by it only together with the recipient and only
 * among receipts no recorded part claimed (see the dispatcher's in-doubt check).
 */
function messageReference(messageId: string): number {
  return createHash("sha256").update(messageId).digest().readUInt16BE(1);
}

function normalizeId(providerMessageId: string): string {
  return providerMessageId.toLowerCase().replace(/^0+(?=.)/, "");
}

/** Receipts are ASCII; the library has already decoded short_message by data_coding. */
function shortMessageText(shortMessage: smpp.PDU["short_message"]): string {
  const message =
    shortMessage && typeof shortMessage === "object" && "message" in shortMessage ? shortMessage.message : shortMessage;
  if (message === undefined) return "";
  return typeof message === "string" ? message : message.toString("latin1");
}
