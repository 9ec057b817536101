import { gsm7Decode } from "./gsm7.js";

/** One SMS as a gateway handed it over: possibly one part of a concatenated (long) message. */
export interface InboundPart {
  /** The sender's number as the gateway authenticated it. */
  from: string;
  /** The number it was sent to (the service number, maybe with an extension). */
  to: string;
  /** The decoded text of this part; empty for binary content. */
  text: string;
  /** The part carried 8-bit data (data_coding 0x04/0xF5…), not text. */
  binary: boolean;
  /** Concatenation IE of the UDH, when the part is one of several. */
  concat?: ConcatInfo;
  /** The gateway's id of this part (SMPP receipted/sequence, CMPP Msg_Id), for logs and duplicate detection. */
  gatewayMessageId: string;
}

export interface ConcatInfo {
  reference: number;
  total: number;
  sequence: number;
}

/** A whole inbound message: the parts of a long one joined in order. */
export interface InboundMessage {
  from: string;
  to: string;
  text: string;
  binary: boolean;
  /** Parts received; fewer than `expectedParts` when a long message never completed. */
  parts: number;
  expectedParts: number;
  /** One id per part, in part order: a stable key for the whole message (dedupe of redelivery). */
  gatewayMessageIds: string[];
}

/** data_coding / Msg_Fmt values that carry text we read (3GPP TS 23.038, SMPP 3.4 §5.2.19, CMPP 3.0 Msg_Fmt). */
export const CODING = {
  GSM7: 0x00,
  ASCII: 0x01,
  BINARY: 0x04,
  LATIN1: 0x03,
  UCS2: 0x08,
  /** CMPP: GB18030/GBK Chinese. */
  GBK: 0x0f,
} as const;

const gbk = new TextDecoder("gbk");

/**
 * Text of a payload in its coding. GSM-7 arrives unpacked (one septet per octet, as SMPP and CMPP carry it);
 * a coding whose low nibble says 8-bit data is binary, not text.
 */
export function decodePayload(dataCoding: number, payload: Uint8Array): { text: string; binary: boolean } {
  switch (dataCoding) {
    case CODING.GSM7:
      return { text: gsm7Decode(payload), binary: false };
    case CODING.ASCII:
    case CODING.LATIN1:
      return { text: Buffer.from(payload).toString("latin1"), binary: false };
    case CODING.UCS2:
      return { text: Buffer.from(payload).swap16().toString("utf16le"), binary: false };
    case CODING.GBK:
      return { text: gbk.decode(payload), binary: false };
    default:
      // 8-bit data (0x04, 0xF4-0xF7 with the 8-bit class) and anything we cannot read: never guess at text.
      return { text: "", binary: true };
  }
}

/**
 * Splits a user data header off a payload (when the UDHI bit is set) and finds the concatenation IE:
 * 0x00 (8-bit reference) or 0x08 (16-bit reference).
 */
export function splitUserDataHeader(userData: Uint8Array): { concat?: ConcatInfo; payload: Uint8Array } {
  const headerLength = userData[0];
  if (headerLength === undefined || headerLength + 1 > userData.length) return { payload: userData };
  const payload = userData.subarray(headerLength + 1);
  let cursor = 1;
  while (cursor + 1 < headerLength + 1) {
    const ie = userData[cursor]!;
    const length = userData[cursor + 1]!;
    const data = userData.subarray(cursor + 2, cursor + 2 + length);
    if (ie === 0x00 && length === 3) return withConcat(concatInfo(data[0]!, data[1]!, data[2]!), payload);
    if (ie === 0x08 && length === 4) {
      return withConcat(concatInfo((data[0]! << 8) | data[1]!, data[2]!, data[3]!), payload);
    }
    cursor += 2 + length;
  }
  return { payload };
}

function withConcat(concat: ConcatInfo | undefined, payload: Uint8Array) {
  return concat ? { concat, payload } : { payload };
}

/** Parts claiming to be 0 of 0 or 3 of 2 are read as single messages rather than waited for forever. */
export function concatInfo(reference: number, total: number, sequence: number): ConcatInfo | undefined {
  return total >= 2 && sequence >= 1 && sequence <= total ? { reference, total, sequence } : undefined;
}
