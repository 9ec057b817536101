import type { AddressInfo } from "node:net";
import smpp from "smpp";
import { sendCoalesced } from "../smpp/send-coalesced.js";
import { SMPP_STATUS } from "../smpp/status.js";
import { segmentSms } from "../text/segment.js";

/** A submit_sm as the SMSC read it (decoded by the smpp library, as a real SMSC would decode it). */
export interface ReceivedSubmit {
  /** The id the SMSC answered with. */
  messageId: string;
  /** performance.now() when it arrived. */
  receivedAt: number;
  sourceAddr: string;
  destinationAddr: string;
  esmClass: number;
  dataCoding: number;
  registeredDelivery: number;
  /** The ESME's user_message_reference TLV (0x0204), echoed in the receipt as an SMSC does; absent if not sent. */
  userMessageReference?: number;
  /** UDH information elements (IE id, length, data), empty without a UDH. */
  udh: Buffer[];
  text: string;
}

export interface ReceiptOptions {
  /** The receipt's stat field. Default DELIVRD. */
  stat?: string;
  err?: string;
  /** Write the id in the text in decimal, as some SMSCs do. */
  decimalIdInText?: boolean;
  /** Also send the receipted_message_id and message_state TLVs. */
  tlvs?: { messageState: number };
}

export interface FakeSmscOptions {
  /** Port to listen on; default a free one. */
  port?: number;
  /** Told of every accepted submit_sm (the development platform logs them). */
  onSubmit?: (submit: ReceivedSubmit) => void;
  /** Keep accepted submits in `submits` (tests read them); default true. */
  record?: boolean;
  /**
   * Sends a final DELIVRD receipt `afterMs` after each accepted submit that asked for one (registered_delivery), as
   * a network delivering at once would; off by default (tests send receipts themselves with sendReceipt). Like an
   * SMSC, it keeps at most `window` (default 10) receipts unanswered, and keeps a receipt no bind took (none bound,
   * the bind dropped, no or a non-zero deliver_sm_resp) to offer it again `retryMs` (default 1 s) later, to
   * whichever sending bind is up then.
   */
  autoReceipts?: { afterMs: number; window?: number; retryMs?: number };
}

/** A mobile-originated text as a handset sent it to the SMSC. */
export interface MobileOriginated {
  from: string;
  /** The service number. */
  to: string;
  /** Segmented as a handset would: GSM-7 or UCS-2, concatenated with a UDH when long. */
  text?: string;
  /** 8-bit data instead of text (data_coding 0x04). */
  binary?: Buffer;
  /** Concatenation reference of a long text; default 0. */
  reference?: number;
  /** Deliver the parts of a long text last to first. */
  reversed?: boolean;
}

/**
 * A small SMSC on 127.0.0.1 for tests and for `npm start`'s development platform, built on the smpp library's
 * server side: checks bind credentials (transceiver, transmitter and receiver binds), answers submit_sm with ids,
 * sends delivery receipts, delivers mobile-originated texts to receiver binds, and can be told to refuse, hold
 * responses, ignore enquire_link or drop every connection.
 */
export class FakeSmsc {
  readonly submits: ReceivedSubmit[] = [];
  bindAttempts = 0;
  enquireLinks = 0;
  unbinds = 0;
  /** Most submit_sm that were waiting for their response at the same time. */
  maxOutstanding = 0;
  /** When set, enquire_link goes unanswered (a half-dead link). */
  ignoreEnquireLinks = false;
  /** Automatic receipts a bind acknowledged with ESME_ROK (autoReceipts). */
  receiptsTaken = 0;

  private readonly bound = new Set<smpp.Session>();
  /**
   * Sessions bound to receive, in bind order; MO go round-robin over the receiver binds, or over transceivers
   * when no ESME bound as a receiver (as an SMSC routes MO to the application bound for them).
   */
  private readonly receivers: smpp.Session[] = [];
  private readonly receiverOnly = new Set<smpp.Session>();
  private nextReceiver = 0;
  private readonly refusals: number[] = [];
  /** Responses held back, with the submit each answers (none for a refusal). */
  private held: Array<{ submit: ReceivedSubmit | undefined; respond: () => void }> | undefined;
  private outstanding = 0;
  private nextId = 0x1a2b00;
  private closed = false;
  /** Automatic receipts due to be offered, waiting for room in the window, and offered but not yet answered. */
  private readonly receiptTimers = new Set<NodeJS.Timeout>();
  private readonly receiptQueue: ReceivedSubmit[] = [];
  private receiptsOutstanding = 0;
  private receiptPumpTimer: NodeJS.Timeout | undefined;

  private constructor(
    private readonly server: smpp.Server,
    private readonly credentials: { systemId: string; password: string },
    private readonly options: FakeSmscOptions,
  ) {}

  static async start(
    credentials: { systemId: string; password: string },
    options: FakeSmscOptions = {},
  ): Promise<FakeSmsc> {
    const server = smpp.createServer((session) => smsc.accept(session));
    const smsc = new FakeSmsc(server, credentials, options);
    await new Promise<void>((resolve) => server.listen(options.port ?? 0, "127.0.0.1", resolve));
    return smsc;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get boundSessions(): number {
    return this.bound.size;
  }

  /** Answers the next `count` submit_sm with this command_status. */
  refuseNext(status: number, count = 1): void {
    for (let i = 0; i < count; i++) this.refusals.push(status);
  }

  /** Stops answering submit_sm until releaseResponses(). */
  holdResponses(): void {
    this.held ??= [];
  }

  /**
   * Without `which`: answers every held submit_sm and stops holding. With it: answers only the held accepted
   * submits it picks (as an SMSC answering a window out of order) and keeps holding the rest and any new ones.
   */
  releaseResponses(which?: (submit: ReceivedSubmit) => boolean): void {
    const held = this.held ?? [];
    if (!which) {
      this.held = undefined;
      for (const { respond } of held) respond();
      return;
    }
    const answered = held.filter(({ submit }) => submit !== undefined && which(submit));
    this.held = held.filter((entry) => !answered.includes(entry));
    for (const { respond } of answered) respond();
  }

  /** Responses being held back right now. */
  get heldResponses(): number {
    return this.held?.length ?? 0;
  }

  /** Destroys every connection, as a crashed SMSC or a broken network would. */
  dropConnections(): void {
    for (const session of this.server.sessions) session.destroy();
  }

  /** Sends a delivery receipt for a submit over a bound session; resolves with the deliver_sm_resp status. */
  sendReceipt(submit: ReceivedSubmit, options: ReceiptOptions = {}): Promise<number> {
    const session = this.receiptSession();
    if (!session) throw new Error("no bound session to send the receipt over");
    return new Promise((resolve) =>
      sendCoalesced(session, receiptPdu(submit, options), (response) => resolve(response.command_status)),
    );
  }

  /** Receipts go to a bind that sends (transceiver), not to one bound only to receive MO. */
  private receiptSession(): smpp.Session | undefined {
    return [...this.bound].find((candidate) => !this.receiverOnly.has(candidate));
  }

  /** Queues an automatic receipt `inMs` from now (autoReceipts). */
  private queueReceipt(submit: ReceivedSubmit, inMs: number): void {
    if (this.closed) return;
    const timer = setTimeout(() => {
      this.receiptTimers.delete(timer);
      this.receiptQueue.push(submit);
      this.pumpReceipts();
    }, inMs);
    this.receiptTimers.add(timer);
  }

  /**
   * Offers queued receipts to a sending bind, at most `window` unanswered at once, as an SMSC windows its
   * deliver_sm. One refused (non-zero deliver_sm_resp) or unanswered within retryMs (its bind died) is queued again
   * retryMs later; with no bind up, the queue waits and is looked at again every retryMs.
   */
  private pumpReceipts(): void {
    const { window = 10, retryMs = 1_000 } = this.options.autoReceipts ?? {};
    while (!this.closed && this.receiptsOutstanding < window && this.receiptQueue.length > 0) {
      const session = this.receiptSession();
      if (!session) {
        if (!this.receiptPumpTimer) {
          this.receiptPumpTimer = setTimeout(() => {
            this.receiptPumpTimer = undefined;
            this.pumpReceipts();
          }, retryMs);
        }
        return;
      }
      const submit = this.receiptQueue.shift()!;
      this.receiptsOutstanding++;
      let settled = false;
      const settle = (taken: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        this.receiptTimers.delete(deadline);
        this.receiptsOutstanding--;
        if (taken) this.receiptsTaken++;
        else this.queueReceipt(submit, retryMs);
        this.pumpReceipts();
      };
      const deadline = setTimeout(() => settle(false), retryMs);
      this.receiptTimers.add(deadline);
      sendCoalesced(session, receiptPdu(submit), (response) =>
        settle(response.command_status === SMPP_STATUS.ESME_ROK),
      );
    }
  }

  /** Sessions bound to take mobile-originated messages. */
  get receiverSessions(): number {
    return this.receivers.length;
  }

  /**
   * Delivers a mobile-originated text to a receiving bind (round-robin); resolves with each part's
   * deliver_sm_resp command_status, in the order sent.
   */
  async deliverMo(mo: MobileOriginated): Promise<number[]> {
    const receiverBinds = this.receivers.filter((candidate) => this.receiverOnly.has(candidate));
    const candidates = receiverBinds.length > 0 ? receiverBinds : this.receivers;
    const session = candidates[this.nextReceiver++ % Math.max(1, candidates.length)];
    if (!session) throw new Error("no receiver bound to deliver the MO to");
    const pdus = moPdus(mo);
    if (mo.reversed) pdus.reverse();
    return Promise.all(
      pdus.map(
        (pdu) =>
          new Promise<number>((resolve) => sendCoalesced(session, pdu, (response) => resolve(response.command_status))),
      ),
    );
  }

  close(): Promise<void> {
    this.closed = true;
    for (const timer of this.receiptTimers) clearTimeout(timer);
    clearTimeout(this.receiptPumpTimer);
    this.dropConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private accept(session: smpp.Session): void {
    session.on("error", () => undefined); // clients vanish mid-test on purpose
    session.on("close", () => this.unbound(session));
    const bind =
      (receives: boolean, only = false) =>
      (pdu: smpp.PDU) => {
        this.bindAttempts++;
        const { systemId, password } = this.credentials;
        if (pdu.system_id === systemId && pdu.password === password) {
          this.bound.add(session);
          if (receives) this.receivers.push(session);
          if (only) this.receiverOnly.add(session);
          sendCoalesced(session, pdu.response({ system_id: "FAKESMSC" }));
        } else {
          sendCoalesced(session, pdu.response({ command_status: SMPP_STATUS.ESME_RINVPASWD }));
        }
      };
    session.on("bind_transceiver", bind(true));
    session.on("bind_receiver", bind(true, true));
    session.on("bind_transmitter", bind(false));
    session.on("enquire_link", (pdu: smpp.PDU) => {
      this.enquireLinks++;
      if (!this.ignoreEnquireLinks) sendCoalesced(session, pdu.response());
    });
    session.on("unbind", (pdu: smpp.PDU) => {
      this.unbinds++;
      this.unbound(session);
      sendCoalesced(session, pdu.response(), () => session.close());
    });
    session.on("submit_sm", (pdu: smpp.PDU) => this.onSubmit(session, pdu));
  }

  private unbound(session: smpp.Session): void {
    this.bound.delete(session);
    this.receiverOnly.delete(session);
    const index = this.receivers.indexOf(session);
    if (index >= 0) this.receivers.splice(index, 1);
  }

  private onSubmit(session: smpp.Session, pdu: smpp.PDU): void {
    const refusal = this.refusals.shift();
    const messageId = (this.nextId++).toString(16);
    let submit: ReceivedSubmit | undefined;
    if (refusal === undefined) {
      const shortMessage = pdu.short_message as smpp.DecodedShortMessage;
      submit = {
        messageId,
        receivedAt: performance.now(),
        sourceAddr: pdu.source_addr ?? "",
        destinationAddr: pdu.destination_addr ?? "",
        esmClass: pdu.esm_class ?? 0,
        dataCoding: pdu.data_coding ?? 0,
        registeredDelivery: pdu.registered_delivery ?? 0,
        ...(pdu.user_message_reference !== undefined && { userMessageReference: pdu.user_message_reference }),
        udh: shortMessage.udh ?? [],
        text: String(shortMessage.message),
      };
      if (this.options.record !== false) this.submits.push(submit);
      this.options.onSubmit?.(submit);
      const receipts = this.options.autoReceipts;
      if (receipts && (submit.registeredDelivery & 0x03) !== 0) this.queueReceipt(submit, receipts.afterMs);
    }
    this.outstanding++;
    this.maxOutstanding = Math.max(this.maxOutstanding, this.outstanding);
    const respond = () => {
      this.outstanding--;
      sendCoalesced(
        session,
        refusal === undefined ? pdu.response({ message_id: messageId }) : pdu.response({ command_status: refusal }),
      );
    };
    if (this.held) this.held.push({ submit, respond });
    else respond();
  }
}

/** A delivery receipt as SMSCs write it (SMPP 3.4 appendix B), echoing the submit's user_message_reference. */
function receiptPdu(submit: ReceivedSubmit, options: ReceiptOptions = {}): smpp.PDU {
  const id = options.decimalIdInText ? BigInt(`0x${submit.messageId}`).toString(10) : submit.messageId;
  const text =
    `id:${id} sub:001 dlvrd:${options.stat === "DELIVRD" || !options.stat ? "001" : "000"} ` +
    `submit date:2611221640 done date:2611221641 stat:${options.stat ?? "DELIVRD"} err:${options.err ?? "000"} ` +
    `text:${submit.text.slice(0, 20)}`;
  return new smpp.PDU("deliver_sm", {
    source_addr: submit.destinationAddr,
    destination_addr: submit.sourceAddr,
    esm_class: 0x04,
    data_coding: 0x00,
    short_message: Buffer.from(text, "ascii"),
    ...(submit.userMessageReference !== undefined && { user_message_reference: submit.userMessageReference }),
    ...(options.tlvs && { receipted_message_id: submit.messageId, message_state: options.tlvs.messageState }),
  });
}

/** The deliver_sm PDUs a handset's text becomes at the SMSC (one per part). */
function moPdus(mo: MobileOriginated): smpp.PDU[] {
  const address = { source_addr_ton: 2, source_addr_npi: 1, source_addr: mo.from, destination_addr: mo.to };
  if (mo.binary) {
    return [new smpp.PDU("deliver_sm", { ...address, esm_class: 0, data_coding: 0x04, short_message: mo.binary })];
  }
  const sms = segmentSms(mo.text ?? "", mo.reference ?? 0);
  return sms.parts.map(
    (part) =>
      new smpp.PDU("deliver_sm", {
        ...address,
        esm_class: part.esmClass,
        data_coding: sms.dataCoding,
        short_message: part.shortMessage,
      }),
  );
}
