import type { Logger } from "pino";
import smpp from "smpp";
import { linkError, type LinkError, type LinkErrorFactory } from "../link-error.js";
import { describeSmppStatus, isTemporaryBindRefusal, SMPP_STATUS } from "./status.js";
import { sendCoalesced } from "./send-coalesced.js";

/** SMPP 3.4 */
const INTERFACE_VERSION = 0x34;

/**
 * How the ESME binds: a transceiver sends and receives on one session; a receiver only takes mobile-originated
 * messages and receipts (an inbound-only application such as the SMS hall).
 */
export type SmppBindMode = "transceiver" | "receiver" | "transmitter";

export interface SmppLinkOptions<E extends Error = LinkError> {
  host: string;
  port: number;
  systemId: string;
  password: string;
  systemType: string;
  /** How long to wait for the TCP connect and for the response to any request. */
  responseTimeoutMs: number;
  enquireLinkIntervalMs: number;
  /** Default transceiver. */
  bindMode?: SmppBindMode;
  /** The error every failure is reported as; default LinkError. */
  makeError?: LinkErrorFactory<E>;
  logger: Logger;
}

export interface SmppLinkHandlers<E extends Error = LinkError> {
  /** Handles an SMSC deliver_sm; resolves to the command_status of the deliver_sm_resp. */
  onDeliverSm(pdu: smpp.PDU): Promise<number>;
  /** Called once when a bound link goes down for any reason other than close(). */
  onDown(error: E): void;
}

interface PendingRequest<E> {
  fail(error: E): void;
}

/**
 * One bound transceiver session with an SMSC: requests with a response timeout, enquire_link keepalive,
 * answers to the SMSC's enquire_link and unbind, deliver_sm handed to the owner. It never reconnects; when
 * the link goes down every request waiting on it fails with CONNECTION_LOST and the owner opens a new one.
 */
export class SmppLink<E extends Error = LinkError> {
  private readonly pending = new Set<PendingRequest<E>>();
  private keepalive: NodeJS.Timeout | undefined;
  private bound = false;
  private down = false;

  private readonly makeError: LinkErrorFactory<E>;

  private constructor(
    private readonly session: smpp.Session,
    private readonly options: SmppLinkOptions<E>,
    private readonly handlers: SmppLinkHandlers<E>,
  ) {
    this.makeError = options.makeError ?? (linkError as unknown as LinkErrorFactory<E>);
  }

  /** Connects and binds. Rejects with BIND_REJECTED when the SMSC refuses the credentials. */
  static async open<E extends Error = LinkError>(
    options: SmppLinkOptions<E>,
    handlers: SmppLinkHandlers<E>,
  ): Promise<SmppLink<E>> {
    const session = smpp.connect({ host: options.host, port: options.port });
    const link = new SmppLink<E>(session, options, handlers);
    try {
      await link.connected();
      await link.bind();
    } catch (error) {
      const failure = link.asLinkError(error);
      link.goDown(failure);
      throw failure;
    }
    return link;
  }

  /** Sends a request and resolves with its response, whatever its command_status. */
  request(command: string, fields: Partial<smpp.PduFields> = {}): Promise<smpp.PDU> {
    if (this.down) return Promise.reject(this.makeError("CONNECTION_LOST", `link down, ${command} not sent`));
    return new Promise((resolve, reject) => {
      const pending: PendingRequest<E> = {
        fail: (error) => {
          clearTimeout(timer);
          this.pending.delete(pending);
          reject(error);
        },
      };
      const timer = setTimeout(
        () => pending.fail(this.makeError("TIMEOUT", `no ${command}_resp within ${this.options.responseTimeoutMs} ms`)),
        this.options.responseTimeoutMs,
      );
      this.pending.add(pending);
      const written = sendCoalesced(this.session, new smpp.PDU(command, fields), (response) => {
        if (!this.pending.delete(pending)) return; // already timed out or failed with the link
        clearTimeout(timer);
        resolve(response);
      });
      if (!written) pending.fail(this.makeError("CONNECTION_LOST", `socket not writable, ${command} not sent`));
    });
  }

  /** Unbinds politely (waiting for unbind_resp up to the response timeout) and disconnects. */
  async close(): Promise<void> {
    if (this.down) return;
    this.bound = false; // a deliberate close is not a link failure: no onDown
    await this.request("unbind").catch((error: unknown) =>
      this.options.logger.warn({ err: error }, "unbind unanswered"),
    );
    this.goDown(this.makeError("PROVIDER_CLOSED", "link closed"));
  }

  private connected(): Promise<void> {
    const { session, options } = this;
    session.on("error", (error: Error) => {
      options.logger.warn({ err: error }, "SMPP socket error");
      this.goDown(this.makeError("CONNECTION_LOST", error.message, { cause: error }));
    });
    session.on("close", () => this.goDown(this.makeError("CONNECTION_LOST", "SMSC closed the connection")));
    session.on("pdu", (pdu: smpp.PDU) => this.onPdu(pdu));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(this.makeError("TIMEOUT", `no TCP connection within ${options.responseTimeoutMs} ms`));
      }, options.responseTimeoutMs);
      session.once("connect", () => {
        clearTimeout(timer);
        resolve();
      });
      session.once("close", () => {
        clearTimeout(timer);
        reject(this.makeError("CONNECTION_LOST", `cannot connect to ${options.host}:${options.port}`));
      });
    });
  }

  private async bind(): Promise<void> {
    const { systemId, password, systemType, enquireLinkIntervalMs, logger } = this.options;
    const response = await this.request(`bind_${this.options.bindMode ?? "transceiver"}`, {
      system_id: systemId,
      password,
      system_type: systemType,
      interface_version: INTERFACE_VERSION,
    });
    const status = response.command_status;
    if (status !== SMPP_STATUS.ESME_ROK) {
      throw this.makeError(
        isTemporaryBindRefusal(status) ? "PROVIDER_TEMPORARY" : "BIND_REJECTED",
        `bind refused: ${describeSmppStatus(status)}`,
        { providerCode: status },
      );
    }
    this.bound = true;
    // An unanswered enquire_link means the link is dead even if TCP has not noticed yet.
    this.keepalive = setInterval(() => {
      this.request("enquire_link").catch((error: E) => {
        logger.warn({ err: error }, "enquire_link failed, dropping the link");
        this.goDown(this.makeError("CONNECTION_LOST", `enquire_link failed: ${error.message}`));
      });
    }, enquireLinkIntervalMs);
  }

  /** Requests from the SMSC; responses reach request() through the library's sequence-number callbacks. */
  private onPdu(pdu: smpp.PDU): void {
    if (pdu.isResponse()) return;
    switch (pdu.command) {
      case "enquire_link":
        sendCoalesced(this.session, pdu.response());
        return;
      case "unbind":
        this.options.logger.warn("SMSC unbound the link");
        sendCoalesced(this.session, pdu.response(), () =>
          this.goDown(this.makeError("CONNECTION_LOST", "SMSC unbound the link")),
        );
        return;
      case "deliver_sm":
        void this.handlers
          .onDeliverSm(pdu)
          .catch(() => SMPP_STATUS.ESME_RX_T_APPN) // the SMSC delivers it again later
          .then((status) => sendCoalesced(this.session, pdu.response({ command_status: status })));
        return;
      default:
        this.options.logger.warn({ command: pdu.command }, "unsupported SMPP request, answered generic_nack");
        sendCoalesced(
          this.session,
          new smpp.PDU("generic_nack", {
            sequence_number: pdu.sequence_number,
            command_status: SMPP_STATUS.ESME_RINVCMDID,
          }),
        );
    }
  }

  private asLinkError(error: unknown): E {
    if (error instanceof Error && "reason" in error && "detail" in error) return error as E;
    return this.makeError("CONNECTION_LOST", String(error), { cause: error });
  }

  /** Marks the link down once: stops the keepalive, fails waiting requests, drops the socket. */
  private goDown(error: E): void {
    if (this.down) return;
    this.down = true;
    clearInterval(this.keepalive);
    for (const pending of [...this.pending]) pending.fail(error);
    this.session.destroy();
    if (this.bound) {
      this.bound = false;
      this.options.logger.warn({ reason: error.message }, "SMPP link down");
      this.handlers.onDown(error);
    }
  }
}
