import { createHash } from "node:crypto";

/** CMPP 3.0 command ids (China Mobile Peer to Peer, 中国移动通信互联网短信网关接口协议 V3.0, §7.4). */
export const CMPP = {
  CONNECT: 0x00000001,
  CONNECT_RESP: 0x80000001,
  TERMINATE: 0x00000002,
  TERMINATE_RESP: 0x80000002,
  SUBMIT: 0x00000004,
  SUBMIT_RESP: 0x80000004,
  DELIVER: 0x00000005,
  DELIVER_RESP: 0x80000005,
  ACTIVE_TEST: 0x00000008,
  ACTIVE_TEST_RESP: 0x80000008,
} as const;

export const CMPP_VERSION = 0x30;
const HEADER = 12;
/** No CMPP 3.0 PDU comes near this; a larger length means a broken or hostile stream. */
export const MAX_PDU_LENGTH = 4096;

/** CONNECT_RESP Status values (§7.4.3.2). */
export const CONNECT_STATUS = { OK: 0, BAD_STRUCTURE: 1, BAD_SOURCE: 2, AUTH_FAILED: 3, BAD_VERSION: 4 } as const;

export interface CmppHeader {
  commandId: number;
  sequenceId: number;
}

export interface Connect {
  sourceAddr: string;
  authenticatorSource: Buffer;
  version: number;
  timestamp: number;
}

export interface ConnectResp {
  status: number;
  authenticatorIsmg: Buffer;
  version: number;
}

export interface Submit {
  msgId: bigint;
  pkTotal: number;
  pkNumber: number;
  registeredDelivery: number;
  serviceId: string;
  tpUdhi: number;
  msgFmt: number;
  msgSrc: string;
  srcId: string;
  destTerminalIds: string[];
  msgContent: Buffer;
}

export interface Deliver {
  msgId: bigint;
  destId: string;
  serviceId: string;
  tpUdhi: number;
  msgFmt: number;
  srcTerminalId: string;
  /** 1: a status report (Msg_Content holds it), 0: a mobile-originated message. */
  registeredDelivery: number;
  msgContent: Buffer;
}

export interface StatusReport {
  msgId: bigint;
  stat: string;
  destTerminalId: string;
}

/** MD5(Source_Addr + 9 zero octets + secret + timestamp "MMDDHHMMSS") (§7.4.3.1). */
export function authenticatorSource(sourceAddr: string, secret: string, timestamp: number): Buffer {
  return createHash("md5")
    .update(
      Buffer.concat([Buffer.from(sourceAddr), Buffer.alloc(9), Buffer.from(secret), Buffer.from(stamp(timestamp))]),
    )
    .digest();
}

/** MD5(Status + AuthenticatorSource + secret): the gateway proves it knows the secret too. */
export function authenticatorIsmg(status: number, source: Buffer, secret: string): Buffer {
  const statusOctets = Buffer.alloc(4);
  statusOctets.writeUInt32BE(status);
  return createHash("md5")
    .update(Buffer.concat([statusOctets, source, Buffer.from(secret)]))
    .digest();
}

/** Timestamp MMDDHHMMSS as the integer CONNECT carries, and as the 10 digits the authenticator hashes. */
export function cmppTimestamp(date = new Date()): number {
  const two = (n: number) => String(n).padStart(2, "0");
  return Number(
    `${two(date.getMonth() + 1)}${two(date.getDate())}${two(date.getHours())}${two(date.getMinutes())}${two(date.getSeconds())}`,
  );
}

function stamp(timestamp: number): string {
  return String(timestamp).padStart(10, "0");
}

/** Fixed-length octet string, NUL padded (the protocol's Octet String). */
class Writer {
  private readonly chunks: Buffer[] = [];
  u8(value: number) {
    this.chunks.push(Buffer.of(value & 0xff));
    return this;
  }
  u32(value: number) {
    const b = Buffer.alloc(4);
    b.writeUInt32BE(value >>> 0);
    this.chunks.push(b);
    return this;
  }
  u64(value: bigint) {
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(value);
    this.chunks.push(b);
    return this;
  }
  text(value: string, length: number) {
    const b = Buffer.alloc(length);
    Buffer.from(value, "latin1").copy(b, 0, 0, length);
    this.chunks.push(b);
    return this;
  }
  bytes(value: Buffer) {
    this.chunks.push(value);
    return this;
  }
  /** The fields alone, for content nested in another PDU (a status report inside DELIVER). */
  content(): Buffer {
    return Buffer.concat(this.chunks);
  }
  frame(header: CmppHeader): Buffer {
    const body = this.content();
    const head = Buffer.alloc(HEADER);
    head.writeUInt32BE(HEADER + body.length, 0);
    head.writeUInt32BE(header.commandId >>> 0, 4);
    head.writeUInt32BE(header.sequenceId >>> 0, 8);
    return Buffer.concat([head, body]);
  }
}

/** Reads a body; running past its end throws, so a truncated PDU is an error, never garbage. */
class Reader {
  private at = 0;
  constructor(private readonly body: Buffer) {}
  private take(length: number): Buffer {
    if (this.at + length > this.body.length) throw new RangeError("CMPP PDU shorter than its fields");
    const slice = this.body.subarray(this.at, this.at + length);
    this.at += length;
    return slice;
  }
  u8 = () => this.take(1)[0]!;
  u32 = () => this.take(4).readUInt32BE(0);
  u64 = () => this.take(8).readBigUInt64BE(0);
  text = (length: number) => this.take(length).toString("latin1").replace(/\0.*$/s, "");
  bytes = (length: number) => Buffer.from(this.take(length));
}

export const encode = {
  connect: (h: CmppHeader, c: Connect) =>
    new Writer().text(c.sourceAddr, 6).bytes(c.authenticatorSource).u8(c.version).u32(c.timestamp).frame(h),
  connectResp: (h: CmppHeader, r: ConnectResp) =>
    new Writer().u32(r.status).bytes(r.authenticatorIsmg).u8(r.version).frame(h),
  empty: (h: CmppHeader) => new Writer().frame(h),
  activeTestResp: (h: CmppHeader) => new Writer().u8(0).frame(h),
  submit: (h: CmppHeader, s: Submit) => {
    const w = new Writer()
      .u64(s.msgId)
      .u8(s.pkTotal)
      .u8(s.pkNumber)
      .u8(s.registeredDelivery)
      .u8(0) // Msg_level
      .text(s.serviceId, 10)
      .u8(0) // Fee_UserType: charge the destination
      .text("", 32) // Fee_terminal_Id
      .u8(0) // Fee_terminal_type
      .u8(0) // TP_pId
      .u8(s.tpUdhi)
      .u8(s.msgFmt)
      .text(s.msgSrc, 6)
      .text("01", 2) // FeeType: free
      .text("0", 6) // FeeCode
      .text("", 17) // ValId_Time
      .text("", 17) // At_Time
      .text(s.srcId, 21)
      .u8(s.destTerminalIds.length);
    for (const dest of s.destTerminalIds) w.text(dest, 32);
    return w.u8(0).u8(s.msgContent.length).bytes(s.msgContent).text("", 20).frame(h);
  },
  submitResp: (h: CmppHeader, msgId: bigint, result: number) => new Writer().u64(msgId).u32(result).frame(h),
  deliver: (h: CmppHeader, d: Deliver) =>
    new Writer()
      .u64(d.msgId)
      .text(d.destId, 21)
      .text(d.serviceId, 10)
      .u8(0) // TP_pid
      .u8(d.tpUdhi)
      .u8(d.msgFmt)
      .text(d.srcTerminalId, 32)
      .u8(0) // Src_terminal_type
      .u8(d.registeredDelivery)
      .u8(d.msgContent.length)
      .bytes(d.msgContent)
      .text("", 20)
      .frame(h),
  deliverResp: (h: CmppHeader, msgId: bigint, result: number) => new Writer().u64(msgId).u32(result).frame(h),
  statusReport: (r: StatusReport) =>
    new Writer().u64(r.msgId).text(r.stat, 7).text("", 10).text("", 10).text(r.destTerminalId, 32).u32(0).content(),
};

export const decode = {
  connect: (body: Buffer): Connect => {
    const r = new Reader(body);
    return { sourceAddr: r.text(6), authenticatorSource: r.bytes(16), version: r.u8(), timestamp: r.u32() };
  },
  connectResp: (body: Buffer): ConnectResp => {
    const r = new Reader(body);
    return { status: r.u32(), authenticatorIsmg: r.bytes(16), version: r.u8() };
  },
  submit: (body: Buffer): Submit => {
    const r = new Reader(body);
    const msgId = r.u64();
    const pkTotal = r.u8();
    const pkNumber = r.u8();
    const registeredDelivery = r.u8();
    r.u8();
    const serviceId = r.text(10);
    r.u8();
    r.text(32);
    r.u8();
    r.u8();
    const tpUdhi = r.u8();
    const msgFmt = r.u8();
    const msgSrc = r.text(6);
    r.text(2);
    r.text(6);
    r.text(17);
    r.text(17);
    const srcId = r.text(21);
    const count = r.u8();
    const destTerminalIds = Array.from({ length: count }, () => r.text(32));
    r.u8();
    const msgContent = r.bytes(r.u8());
    return {
      msgId,
      pkTotal,
      pkNumber,
      registeredDelivery,
      serviceId,
      tpUdhi,
      msgFmt,
      msgSrc,
      srcId,
      destTerminalIds,
      msgContent,
    };
  },
  idAndResult: (body: Buffer) => {
    const r = new Reader(body);
    return { msgId: r.u64(), result: r.u32() };
  },
  deliver: (body: Buffer): Deliver => {
    const r = new Reader(body);
    const msgId = r.u64();
    const destId = r.text(21);
    const serviceId = r.text(10);
    r.u8();
    const tpUdhi = r.u8();
    const msgFmt = r.u8();
    const srcTerminalId = r.text(32);
    r.u8();
    const registeredDelivery = r.u8();
    const msgContent = r.bytes(r.u8());
    return { msgId, destId, serviceId, tpUdhi, msgFmt, srcTerminalId, registeredDelivery, msgContent };
  },
  statusReport: (content: Buffer): StatusReport => {
    const r = new Reader(content);
    const msgId = r.u64();
    const stat = r.text(7);
    r.text(10);
    r.text(10);
    return { msgId, stat, destTerminalId: r.text(32) };
  },
};

/**
 * Splits a TCP stream into PDUs by Total_Length. A length below the header or above MAX_PDU_LENGTH means the
 * stream cannot be trusted any further: the caller drops the connection.
 */
export class PduFramer {
  private buffer: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): Array<{ header: CmppHeader; body: Buffer }> {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    const pdus: Array<{ header: CmppHeader; body: Buffer }> = [];
    while (this.buffer.length >= 4) {
      const length = this.buffer.readUInt32BE(0);
      if (length < HEADER || length > MAX_PDU_LENGTH) throw new RangeError(`CMPP PDU length ${length} out of range`);
      if (this.buffer.length < length) break;
      const header = { commandId: this.buffer.readUInt32BE(4), sequenceId: this.buffer.readUInt32BE(8) };
      pdus.push({ header, body: Buffer.from(this.buffer.subarray(HEADER, length)) });
      this.buffer = this.buffer.subarray(length);
    }
    return pdus;
  }
}
