import { randomBytes } from "node:crypto";
import type { Logger } from "pino";
import type smpp from "smpp";
import { concatInfo, type ConcatInfo, type InboundPart } from "../text/inbound.js";
import { isDeliveryReceipt } from "./esm-class.js";
import { SmppLink, type SmppBindMode } from "./link.js";
import { SMPP_STATUS } from "./status.js";

export interface SmppReceiverConfig {
  host: string;
  port: number;
  systemId: string;
  password: string;
  systemType?: string;
  /** Default receiver: mobile-originated messages only. */
  bindMode?: SmppBindMode;
  responseTimeoutMs?: number;
  enquireLinkIntervalMs?: number;
  reconnectDelay?: { initialMs: number; maxMs: number };
  logger: Logger;
}

/**
 * Takes one MO part. Resolve to accept it (deliver_sm_resp ESME_ROK); reject and the SMSC is told to deliver it
 * again later (ESME_RX_T_APPN), so nothing the handler could not take is lost.
 */
export type InboundPartHandler = (part: InboundPart) => Promise<void>;

/**
 * An ESME bound to the SMSC for mobile-originated messages: binds, keeps the link alive, rebinds with backoff
 * after a drop, and hands each deliver_sm (receipts skipped) to the handler as an InboundPart.
 */
export class SmppReceiver {
  private link: SmppLink | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private attempts = 0;
  private closed = false;
  /** Per-bind prefix: SMPP MO carry no id of their own, so ours is bind + sequence number. */
  private bindTag = "";
  private readonly logger: Logger;

  private constructor(
    private readonly config: SmppReceiverConfig,
    private readonly handler: InboundPartHandler,
  ) {
    this.logger = config.logger.child({ component: "smpp-receiver", smsc: `${config.host}:${config.port}` });
  }

  /** Resolves once bound; rejects with a LinkError (BIND_REJECTED for refused credentials). */
  static async connect(config: SmppReceiverConfig, handler: InboundPartHandler): Promise<SmppReceiver> {
    const receiver = new SmppReceiver(config, handler);
    receiver.link = await receiver.open();
    return receiver;
  }

  get bound(): boolean {
    return this.link !== undefined;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    await this.link?.close();
    this.link = undefined;
  }

  private open(): Promise<SmppLink> {
    const { config } = this;
    this.bindTag = randomBytes(4).toString("hex");
    return SmppLink.open(
      {
        host: config.host,
        port: config.port,
        systemId: config.systemId,
        password: config.password,
        systemType: config.systemType ?? "",
        bindMode: config.bindMode ?? "receiver",
        responseTimeoutMs: config.responseTimeoutMs ?? 10_000,
        enquireLinkIntervalMs: config.enquireLinkIntervalMs ?? 30_000,
        logger: this.logger,
      },
      {
        onDeliverSm: (pdu) => this.onDeliverSm(pdu),
        onDown: () => {
          this.link = undefined;
          if (!this.closed) this.scheduleReconnect();
        },
      },
    );
  }

  private scheduleReconnect(): void {
    const { initialMs, maxMs } = this.config.reconnectDelay ?? { initialMs: 1000, maxMs: 60_000 };
    const delay = Math.min(maxMs, initialMs * 2 ** this.attempts) * (0.8 + Math.random() * 0.4);
    this.attempts++;
    this.reconnectTimer = setTimeout(() => {
      this.open().then(
        (link) => {
          if (this.closed) return void link.close();
          this.link = link;
          this.attempts = 0;
          this.logger.info("SMPP receiver rebound");
        },
        (error: unknown) => {
          this.logger.error({ err: error, attempt: this.attempts }, "SMPP rebind failed");
          if (!this.closed) this.scheduleReconnect();
        },
      );
    }, delay);
  }

  private async onDeliverSm(pdu: smpp.PDU): Promise<number> {
    if (isDeliveryReceipt(pdu.esm_class ?? 0)) return SMPP_STATUS.ESME_ROK; // receipts belong to the sender
    try {
      await this.handler(inboundPartOf(pdu, `${this.bindTag}-${pdu.sequence_number}`));
      return SMPP_STATUS.ESME_ROK;
    } catch (error) {
      this.logger.error({ err: error, from: pdu.source_addr }, "MO not taken; the SMSC will deliver it again");
      return SMPP_STATUS.ESME_RX_T_APPN;
    }
  }
}

/**
 * The library has already split the UDH off and decoded short_message by data_coding (GSM-7, Latin-1, UCS-2);
 * 8-bit data stays a Buffer and is reported as binary rather than guessed at. Long messages may also come in one
 * deliver_sm as message_payload (a TLV the library decodes the same way).
 */
export function inboundPartOf(pdu: smpp.PDU, gatewayMessageId: string): InboundPart {
  const raw = pdu.short_message;
  const hasPayload = raw === undefined || (Buffer.isBuffer(raw) && raw.length === 0) || raw === "";
  const decoded = hasPayload && pdu.message_payload !== undefined ? pdu.message_payload : raw;
  const shortMessage: smpp.DecodedShortMessage =
    decoded && typeof decoded === "object" && "message" in decoded ? decoded : { message: decoded ?? "" };
  const binary = Buffer.isBuffer(shortMessage.message);
  const concat = concatOf(shortMessage.udh ?? []);
  return {
    from: pdu.source_addr ?? "",
    to: pdu.destination_addr ?? "",
    text: binary ? "" : String(shortMessage.message),
    binary,
    ...(concat && { concat }),
    gatewayMessageId,
  };
}

function concatOf(udh: Buffer[]): ConcatInfo | undefined {
  for (const ie of udh) {
    if (ie[0] === 0x00 && ie[1] === 3 && ie.length >= 5) return concatInfo(ie[2]!, ie[3]!, ie[4]!);
    if (ie[0] === 0x08 && ie[1] === 4 && ie.length >= 6) return concatInfo((ie[2]! << 8) | ie[3]!, ie[4]!, ie[5]!);
  }
  return undefined;
}
