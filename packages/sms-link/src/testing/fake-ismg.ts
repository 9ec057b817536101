import { createServer, type Server, type Socket } from "node:net";
import type { AddressInfo } from "node:net";
import { CmppConnection, type IncomingRequest } from "../cmpp/connection.js";
import {
  authenticatorIsmg,
  authenticatorSource,
  CMPP,
  CMPP_VERSION,
  CONNECT_STATUS,
  decode,
  encode,
  type Submit,
} from "../cmpp/pdu.js";
import { decodePayload, splitUserDataHeader } from "../text/inbound.js";
import { segmentSms } from "../text/segment.js";
import type { MobileOriginated } from "./fake-smsc.js";

/** A SUBMIT as the gateway read it. */
export interface CmppSubmitted {
  msgId: string;
  to: string;
  srcId: string;
  pkTotal: number;
  pkNumber: number;
  /** UDH concatenation reference/total/sequence when the part carries one. */
  concat?: { reference: number; total: number; sequence: number };
  text: string;
}

/**
 * A CMPP 3.0 gateway (ISMG) on 127.0.0.1 for tests: checks the SP's authenticator and answers with its own,
 * answers SUBMIT with Msg_Ids (and records them decoded), ACTIVE_TEST and TERMINATE, and delivers MO texts
 * (long ones as UCS-2 parts with a UDH) and status reports.
 */
export class FakeIsmg {
  readonly submits: CmppSubmitted[] = [];
  connects = 0;
  activeTests = 0;
  /** Authenticated connections and the SP each belongs to. */
  private readonly connections = new Map<CmppConnection, string>();
  private nextMsgId = 0x1000n;

  private constructor(
    private readonly server: Server,
    private readonly sps: ReadonlyArray<{ sourceAddr: string; sharedSecret: string }>,
  ) {}

  /** Accepts the SPs given (each its code and shared secret). */
  static async start(
    credentials: { sourceAddr: string; sharedSecret: string } | Array<{ sourceAddr: string; sharedSecret: string }>,
  ): Promise<FakeIsmg> {
    const server = createServer((socket) => ismg.accept(socket));
    const ismg = new FakeIsmg(server, Array.isArray(credentials) ? credentials : [credentials]);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return ismg;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  get authenticatedConnections(): number {
    return this.connections.size;
  }

  /**
   * Delivers an MO to an authenticated connection (of the SP `sourceAddr` when given, as a gateway routes MO to the
   * SP that owns the service number); resolves with each part's DELIVER_RESP Result.
   */
  async deliverMo(mo: MobileOriginated, options: { sourceAddr?: string } = {}): Promise<number[]> {
    const connection = [...this.connections].find(
      ([, sp]) => options.sourceAddr === undefined || sp === options.sourceAddr,
    )?.[0];
    if (!connection) throw new Error("no SP connected to deliver the MO to");
    const parts = mo.binary
      ? [{ content: mo.binary, udhi: 0, fmt: 0x04 }]
      : (() => {
          const sms = segmentSms(mo.text ?? "", mo.reference ?? 0, { alphabet: "ucs2" });
          return sms.parts.map((part) => ({
            content: part.shortMessage,
            udhi: sms.parts.length > 1 ? 1 : 0,
            fmt: sms.dataCoding,
          }));
        })();
    if (mo.reversed) parts.reverse();
    return Promise.all(
      parts.map(async (part) => {
        const body = await connection.request(CMPP.DELIVER, (header) =>
          encode.deliver(header, {
            msgId: this.nextMsgId++,
            destId: mo.to,
            serviceId: "",
            tpUdhi: part.udhi,
            msgFmt: part.fmt,
            srcTerminalId: mo.from,
            registeredDelivery: 0,
            msgContent: part.content,
          }),
        );
        return decode.idAndResult(body).result;
      }),
    );
  }

  /** Sends a status report for a submitted part; resolves with the DELIVER_RESP Result. */
  async sendReport(submit: CmppSubmitted, stat = "DELIVRD"): Promise<number> {
    const connection = [...this.connections.keys()][0];
    if (!connection) throw new Error("no SP connected to send the report to");
    const body = await connection.request(CMPP.DELIVER, (header) =>
      encode.deliver(header, {
        msgId: this.nextMsgId++,
        destId: submit.srcId,
        serviceId: "",
        tpUdhi: 0,
        msgFmt: 0,
        srcTerminalId: submit.to,
        registeredDelivery: 1,
        msgContent: encode.statusReport({ msgId: BigInt(submit.msgId), stat, destTerminalId: submit.to }),
      }),
    );
    return decode.idAndResult(body).result;
  }

  /** Drops every connection, as a broken network would. */
  dropConnections(): void {
    for (const connection of [...this.connections.keys()]) connection.close();
  }

  close(): Promise<void> {
    this.dropConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private accept(socket: Socket): void {
    let authenticated = false;
    const connection: CmppConnection = new CmppConnection(socket, {
      responseTimeoutMs: 5000,
      onClose: () => this.connections.delete(connection),
      onRequest: (request) => {
        if (request.header.commandId === CMPP.CONNECT) {
          authenticated = this.onConnect(connection, request);
          return;
        }
        if (!authenticated) return connection.close(); // nothing before CONNECT
        this.onRequest(connection, request);
      },
    });
  }

  private onConnect(connection: CmppConnection, request: IncomingRequest): boolean {
    this.connects++;
    const connect = decode.connect(request.body);
    const sp = this.sps.find((candidate) => candidate.sourceAddr === connect.sourceAddr);
    const sharedSecret = sp?.sharedSecret ?? "";
    const status =
      connect.version !== CMPP_VERSION
        ? CONNECT_STATUS.BAD_VERSION
        : !sp
          ? CONNECT_STATUS.BAD_SOURCE
          : authenticatorSource(sp.sourceAddr, sharedSecret, connect.timestamp).equals(connect.authenticatorSource)
            ? CONNECT_STATUS.OK
            : CONNECT_STATUS.AUTH_FAILED;
    connection.respond(request, (header) =>
      encode.connectResp(header, {
        status,
        authenticatorIsmg: authenticatorIsmg(status, connect.authenticatorSource, sharedSecret),
        version: CMPP_VERSION,
      }),
    );
    if (status === CONNECT_STATUS.OK) this.connections.set(connection, connect.sourceAddr);
    return status === CONNECT_STATUS.OK;
  }

  private onRequest(connection: CmppConnection, request: IncomingRequest): void {
    switch (request.header.commandId) {
      case CMPP.ACTIVE_TEST:
        this.activeTests++;
        connection.respond(request, encode.activeTestResp);
        return;
      case CMPP.SUBMIT: {
        const submit = decode.submit(request.body);
        const msgId = this.nextMsgId++;
        this.submits.push(submitted(msgId, submit));
        connection.respond(request, (header) => encode.submitResp(header, msgId, 0));
        return;
      }
    }
  }
}

function submitted(msgId: bigint, submit: Submit): CmppSubmitted {
  const { concat, payload } = submit.tpUdhi
    ? splitUserDataHeader(submit.msgContent)
    : { concat: undefined, payload: submit.msgContent };
  return {
    msgId: msgId.toString(),
    to: submit.destTerminalIds[0] ?? "",
    srcId: submit.srcId,
    pkTotal: submit.pkTotal,
    pkNumber: submit.pkNumber,
    ...(concat && { concat }),
    text: decodePayload(submit.msgFmt, payload).text,
  };
}
