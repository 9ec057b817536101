import type { Logger } from "pino";
import smpp from "smpp";
import { SmsProviderError } from "./provider.js";
import { bindRefusal, SMPP_STATUS } from "./smpp-status.js";

/** SMPP 3.4 */
const INTERFACE_VERSION = 0x34;
const ESME_RINVCMDID = 0x03;

export interface SmppLinkOptions {
  host: string;
  port: number;
  systemId: string;
  password: string;
  systemType: string;
  /** How long to wait for the TCP connect and for the response to any request. */
  responseTimeoutMs: number;
  enquireLinkIntervalMs: number;
  logger: Logger;
}

export interface SmppLinkHandlers {
  /** Handles an SMSC deliver_sm; resolves to the command_status of the deliver_sm_resp. */
  onDeliverSm(pdu: smpp.PDU): Promise<number>;
  /** Called once when a bound link goes down for any reason other than close(). */
  onDown(error: SmsProviderError): void;
}

interface PendingRequest {
  fail(error: SmsProviderError): void;
}

/**
 * One bound transceiver session with an SMSC: requests with a response timeout, enquire_link keepalive,
 * answers to the SMSC's enquire_link and unbind, deliver_sm handed to the owner. It never reconnects; when
 * the link goes down every request waiting on it fails with CONNECTION_LOST and the owner opens a new one.
 */
export class SmppLink {
  private readonly pending = new Set<PendingRequest>();
  private keepalive: NodeJS.Timeout | undefined;
  private bound = false;
  private down = false;

  private constructor(
    private readonly session: smpp.Session,
    private readonly options: SmppLinkOptions,
    private readonly handlers: SmppLinkHandlers,
  ) {}

  /** Connects and binds as a transceiver. Rejects with BIND_REJECTED when the SMSC refuses the credentials. */
  static async open(options: SmppLinkOptions, handlers: SmppLinkHandlers): Promise<SmppLink> {
    const session = smpp.connect({ host: options.host, port: options.port });
    const link = new SmppLink(session, options, handlers);
    try {
      await link.connected();
      await link.bind();
    } catch (error) {
      link.goDown(asProviderError(error));
      throw error;
    }
    return link;
  }

  /** Sends a request and resolves with its response, whatever its command_status. */
  request(command: string, fields: Partial<smpp.PduFields> = {}): Promise<smpp.PDU> {
    if (this.down) return Promise.reject(new SmsProviderError("CONNECTION_LOST", `link down, ${command} not sent`));
    return new Promise((resolve, reject) => {
      const pending: PendingRequest = {
        fail: (error) => {
          clearTimeout(timer);
          this.pending.delete(pending);
          reject(error);
        },
      };
      const timer = setTimeout(
        () =>
          pending.fail(
            new SmsProviderError("TIMEOUT", `no ${command}_resp within ${this.options.responseTimeoutMs} ms`),
          ),
        this.options.responseTimeoutMs,
      );
      this.pending.add(pending);
      const written = this.session.send(new smpp.PDU(command, fields), (response) => {
        if (!this.pending.delete(pending)) return; // already timed out or failed with the link
        clearTimeout(timer);
        resolve(response);
      });
      if (!written) pending.fail(new SmsProviderError("CONNECTION_LOST", `socket not writable, ${command} not sent`));
    });
  }

  /** Unbinds politely (waiting for unbind_resp up to the response timeout) and disconnects. */
  async close(): Promise<void> {
    if (this.down) return;
    this.bound = false; // a deliberate close is not a link failure: no onDown
    await this.request("unbind").catch((error: unknown) =>
      this.options.logger.warn({ err: error }, "unbind unanswered"),
    );
    this.goDown(new SmsProviderError("PROVIDER_CLOSED", "link closed"));
  }

  private connected(): Promise<void> {
    const { session, options } = this;
    session.on("error", (error: Error) => {
      options.logger.warn({ err: error }, "SMPP socket error");
      this.goDown(new SmsProviderError("CONNECTION_LOST", error.message, { cause: error }));
    });
    session.on("close", () => this.goDown(new SmsProviderError("CONNECTION_LOST", "SMSC closed the connection")));
    session.on("pdu", (pdu: smpp.PDU) => this.onPdu(pdu));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new SmsProviderError("TIMEOUT", `no TCP connection within ${options.responseTimeoutMs} ms`));
      }, options.responseTimeoutMs);
      session.once("connect", () => {
        clearTimeout(timer);
        resolve();
      });
      session.once("close", () => {
        clearTimeout(timer);
        reject(new SmsProviderError("CONNECTION_LOST", `cannot connect to ${options.host}:${options.port}`));
      });
    });
  }

  private async bind(): Promise<void> {
    const { systemId, password, systemType, enquireLinkIntervalMs, logger } = this.options;
    const response = await this.request("bind_transceiver", {
      system_id: systemId,
      password,
      system_type: systemType,
      interface_version: INTERFACE_VERSION,
    });
    if (response.command_status !== SMPP_STATUS.ESME_ROK) throw bindRefusal(response.command_status);
    this.bound = true;
    // An unanswered enquire_link means the link is dead even if TCP has not noticed yet.
    this.keepalive = setInterval(() => {
      this.request("enquire_link").catch((error: SmsProviderError) => {
        logger.warn({ err: error }, "enquire_link failed, dropping the link");
        this.goDown(new SmsProviderError("CONNECTION_LOST", `enquire_link failed: ${error.detail}`));
      });
    }, enquireLinkIntervalMs);
  }

  /** Requests from the SMSC; responses reach request() through the library's sequence-number callbacks. */
  private onPdu(pdu: smpp.PDU): void {
    if (pdu.isResponse()) return;
    switch (pdu.command) {
      case "enquire_link":
        this.session.send(pdu.response());
        return;
      case "unbind":
        this.options.logger.warn("SMSC unbound the link");
        this.session.send(pdu.response(), () =>
          this.goDown(new SmsProviderError("CONNECTION_LOST", "SMSC unbound the link")),
        );
        return;
      case "deliver_sm":
        void this.handlers
          .onDeliverSm(pdu)
          .catch(() => SMPP_STATUS.ESME_RX_T_APPN) // the SMSC delivers it again later
          .then((status) => this.session.send(pdu.response({ command_status: status })));
        return;
      default:
        this.options.logger.warn({ command: pdu.command }, "unsupported SMPP request, answered generic_nack");
        this.session.send(
          new smpp.PDU("generic_nack", { sequence_number: pdu.sequence_number, command_status: ESME_RINVCMDID }),
        );
    }
  }

  /** Marks the link down once: stops the keepalive, fails waiting requests, drops the socket. */
  private goDown(error: SmsProviderError): void {
    if (this.down) return;
    this.down = true;
    clearInterval(this.keepalive);
    for (const pending of [...this.pending]) pending.fail(error);
    this.session.destroy();
    if (this.bound) {
      this.bound = false;
      this.options.logger.warn({ reason: error.detail }, "SMPP link down");
      this.handlers.onDown(error);
    }
  }
}

function asProviderError(error: unknown): SmsProviderError {
  return error instanceof SmsProviderError
    ? error
    : new SmsProviderError("CONNECTION_LOST", String(error), { cause: error });
}
