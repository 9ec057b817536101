import { connect as tcpConnect } from "node:net";
import type { Logger } from "pino";
import { linkError, type LinkError, type LinkErrorFactory } from "../link-error.js";
import { decodePayload, splitUserDataHeader, type InboundPart } from "../text/inbound.js";
import { segmentSms } from "../text/segment.js";
import { CmppConnection, type IncomingRequest } from "./connection.js";
import {
  authenticatorIsmg,
  authenticatorSource,
  CMPP,
  CMPP_VERSION,
  cmppTimestamp,
  CONNECT_STATUS,
  decode,
  encode,
} from "./pdu.js";

export interface CmppClientConfig {
  host: string;
  port: number;
  /** SP enterprise code (Source_Addr, 6 characters). */
  sourceAddr: string;
  sharedSecret: string;
  /** Service_Id of submits (the business code agreed with the gateway). */
  serviceId: string;
  /** Src_Id of submits: the service number replies come from. */
  srcId: string;
  /** Submits awaiting their response at once. Default 16. */
  windowSize?: number;
  /** Default 10 s. */
  responseTimeoutMs?: number;
  /** Default 30 s (the protocol's C = 3 minutes is the upper bound). */
  activeTestIntervalMs?: number;
  reconnectDelay?: { initialMs: number; maxMs: number };
  logger: Logger;
}

export interface CmppHandlers<E extends Error = LinkError> {
  /** A mobile-originated part; reject to have the gateway deliver it again (DELIVER_RESP result 8). */
  onMo?(part: InboundPart): Promise<void>;
  /** A status report for a submitted part. */
  onReport?(report: { msgId: string; stat: string; destTerminalId: string }): Promise<void>;
  makeError?: LinkErrorFactory<E>;
}

/** DELIVER_RESP / SUBMIT_RESP Result 8: flow control; the peer sends it again later. */
const RESULT_FLOW_CONTROL = 8;

/**
 * A CMPP 3.0 SP client (China Mobile's ISMG): CONNECT with the MD5 authenticator (checking the gateway's answer),
 * ACTIVE_TEST keepalive, SUBMIT (long texts as UCS-2 parts with a UDH, Pk_total/Pk_number), DELIVER for MO and
 * status reports, TERMINATE on close. It reconnects with backoff after a drop; meanwhile submits fail with
 * CONNECTION_LOST.
 */
export class CmppClient<E extends Error = LinkError> {
  private connection: CmppConnection | undefined;
  private keepalive: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private attempts = 0;
  private closed = false;
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];
  private readonly makeError: LinkErrorFactory<E>;
  private readonly logger: Logger;

  private constructor(
    private readonly config: CmppClientConfig,
    private readonly handlers: CmppHandlers<E>,
  ) {
    this.makeError = handlers.makeError ?? (linkError as unknown as LinkErrorFactory<E>);
    this.logger = config.logger.child({ component: "cmpp-client", ismg: `${config.host}:${config.port}` });
  }

  /** Resolves once connected and authenticated; rejects BIND_REJECTED for refused credentials. */
  static async connect<E extends Error = LinkError>(
    config: CmppClientConfig,
    handlers: CmppHandlers<E> = {},
  ): Promise<CmppClient<E>> {
    const client = new CmppClient<E>(config, handlers);
    client.connection = await client.open();
    return client;
  }

  get connected(): boolean {
    return this.connection?.isOpen === true;
  }

  /**
   * Submits every part of a text to one number, from `from` (default the configured srcId); resolves with the
   * gateway's Msg_Id of each part.
   */
  async submit(message: { to: string; text: string; from?: string; reference?: number }): Promise<string[]> {
    const sms = segmentSms(message.text, message.reference ?? 0, { alphabet: "ucs2" });
    const ids: string[] = [];
    for (const [index, part] of sms.parts.entries()) {
      const body = await this.windowed(() => {
        const connection = this.connection;
        if (!connection?.isOpen) throw this.makeError("CONNECTION_LOST", "not connected to the gateway");
        return connection.request(CMPP.SUBMIT, (header) =>
          encode.submit(header, {
            msgId: 0n,
            pkTotal: sms.parts.length,
            pkNumber: index + 1,
            registeredDelivery: 1,
            serviceId: this.config.serviceId,
            tpUdhi: sms.parts.length > 1 ? 1 : 0,
            msgFmt: sms.dataCoding,
            msgSrc: this.config.sourceAddr,
            srcId: message.from ?? this.config.srcId,
            destTerminalIds: [message.to],
            msgContent: part.shortMessage,
          }),
        );
      });
      const { msgId, result } = decode.idAndResult(body);
      if (result !== 0) {
        throw this.makeError(
          result === RESULT_FLOW_CONTROL ? "THROTTLED" : "REJECTED",
          `SUBMIT refused, Result ${result}`,
          { providerCode: result },
        );
      }
      ids.push(msgId.toString());
    }
    return ids;
  }

  /** Sends TERMINATE (waiting for its response up to the timeout) and disconnects. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.keepalive);
    const connection = this.connection;
    this.connection = undefined;
    if (!connection?.isOpen) return;
    await connection
      .request(CMPP.TERMINATE, encode.empty)
      .catch((error: unknown) => this.logger.warn({ err: error }, "TERMINATE unanswered"));
    connection.close();
  }

  private async windowed(send: () => Promise<Buffer>): Promise<Buffer> {
    while (this.inFlight >= (this.config.windowSize ?? 16)) await new Promise<void>((r) => this.waiting.push(r));
    this.inFlight++;
    try {
      return await send().catch((error: unknown) => {
        throw error instanceof Error && "reason" in error
          ? error
          : this.makeError("TIMEOUT", String((error as Error).message ?? error), { cause: error });
      });
    } finally {
      this.inFlight--;
      this.waiting.shift()?.();
    }
  }

  private open(): Promise<CmppConnection> {
    const { config } = this;
    const timeoutMs = config.responseTimeoutMs ?? 10_000;
    return new Promise((resolve, reject) => {
      const socket = tcpConnect({ host: config.host, port: config.port });
      const timer = setTimeout(() => {
        socket.destroy();
        reject(this.makeError("TIMEOUT", `no TCP connection within ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once("error", (error) => {
        clearTimeout(timer);
        reject(this.makeError("CONNECTION_LOST", `cannot connect: ${error.message}`, { cause: error }));
      });
      socket.once("connect", () => {
        clearTimeout(timer);
        let authenticated = false;
        const connection = new CmppConnection(socket, {
          responseTimeoutMs: timeoutMs,
          onRequest: (request) => this.onRequest(connection, request),
          onClose: (error) => {
            if (authenticated) this.onDown(connection, error);
          },
        });
        this.authenticate(connection).then(
          () => {
            authenticated = true;
            this.keepalive = setInterval(() => {
              connection.request(CMPP.ACTIVE_TEST, encode.empty).catch((error: unknown) => {
                this.logger.warn({ err: error }, "ACTIVE_TEST unanswered, dropping the connection");
                connection.close(error as Error);
              });
            }, config.activeTestIntervalMs ?? 30_000);
            resolve(connection);
          },
          (error: unknown) => {
            connection.close();
            reject(error);
          },
        );
      });
    });
  }

  private async authenticate(connection: CmppConnection): Promise<void> {
    const { sourceAddr, sharedSecret } = this.config;
    const timestamp = cmppTimestamp();
    const source = authenticatorSource(sourceAddr, sharedSecret, timestamp);
    const body = await connection
      .request(CMPP.CONNECT, (header) =>
        encode.connect(header, { sourceAddr, authenticatorSource: source, version: CMPP_VERSION, timestamp }),
      )
      .catch((error: unknown) => {
        throw this.makeError("TIMEOUT", `CONNECT unanswered: ${(error as Error).message}`, { cause: error });
      });
    const answer = decode.connectResp(body);
    if (answer.status !== CONNECT_STATUS.OK) {
      throw this.makeError("BIND_REJECTED", `CONNECT refused, Status ${answer.status}`, {
        providerCode: answer.status,
      });
    }
    // The gateway proves it holds the secret too: a stranger answering on this address is refused.
    if (!authenticatorIsmg(answer.status, source, sharedSecret).equals(answer.authenticatorIsmg)) {
      throw this.makeError("BIND_REJECTED", "the gateway's AuthenticatorISMG does not match");
    }
  }

  private onRequest(connection: CmppConnection, request: IncomingRequest): void {
    switch (request.header.commandId) {
      case CMPP.ACTIVE_TEST:
        connection.respond(request, encode.activeTestResp);
        return;
      case CMPP.DELIVER:
        void this.onDeliver(request).then((result) =>
          connection.respond(request, (header) => encode.deliverResp(header, result.msgId, result.result)),
        );
        return;
      default:
        this.logger.warn({ commandId: request.header.commandId }, "unsupported CMPP request ignored");
    }
  }

  private async onDeliver(request: IncomingRequest): Promise<{ msgId: bigint; result: number }> {
    let deliver;
    try {
      deliver = decode.deliver(request.body);
    } catch (error) {
      this.logger.warn({ err: error }, "malformed DELIVER refused");
      return { msgId: 0n, result: 1 };
    }
    try {
      if (deliver.registeredDelivery === 1) {
        const report = decode.statusReport(deliver.msgContent);
        await this.handlers.onReport?.({
          msgId: report.msgId.toString(),
          stat: report.stat,
          destTerminalId: report.destTerminalId,
        });
      } else {
        const { concat, payload } = deliver.tpUdhi
          ? splitUserDataHeader(deliver.msgContent)
          : { concat: undefined, payload: deliver.msgContent };
        const { text, binary } = decodePayload(deliver.msgFmt, payload);
        const part: InboundPart = {
          from: deliver.srcTerminalId,
          to: deliver.destId,
          text,
          binary,
          ...(concat && { concat }),
          gatewayMessageId: `cmpp:${deliver.msgId}`,
        };
        if (!this.handlers.onMo) throw new Error("no MO handler");
        await this.handlers.onMo(part);
      }
      return { msgId: deliver.msgId, result: 0 };
    } catch (error) {
      this.logger.error({ err: error }, "DELIVER not taken; the gateway will send it again");
      return { msgId: deliver.msgId, result: RESULT_FLOW_CONTROL };
    }
  }

  private onDown(connection: CmppConnection, error: Error): void {
    if (this.connection !== connection) return;
    clearInterval(this.keepalive);
    this.connection = undefined;
    if (this.closed) return;
    this.logger.warn({ reason: error.message }, "CMPP connection down");
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const { initialMs, maxMs } = this.config.reconnectDelay ?? { initialMs: 1000, maxMs: 60_000 };
    const delay = Math.min(maxMs, initialMs * 2 ** this.attempts) * (0.8 + Math.random() * 0.4);
    this.attempts++;
    this.reconnectTimer = setTimeout(() => {
      this.open().then(
        (connection) => {
          if (this.closed) return void connection.close();
          this.connection = connection;
          this.attempts = 0;
          this.logger.info("CMPP reconnected");
        },
        (error: unknown) => {
          this.logger.error({ err: error, attempt: this.attempts }, "CMPP reconnect failed");
          if (!this.closed) this.scheduleReconnect();
        },
      );
    }, delay);
  }
}
