import { gsm7Septets } from "./gsm7.js";

/**
 * Splits a text into the SMS parts an SMSC is given (3GPP TS 23.038 / 23.040, SMPP 3.4 §5.2.12 and §5.2.19).
 *
 * GSM-7 when every character is in the default alphabet or its extension table, else UCS-2. Limits are
 * counted in payload octets of SMPP's representation: unpacked GSM-7 is one octet per septet (an extension
 * character two), UCS-2 is two octets per UTF-16 code unit. A message that does not fit one part is sent
 * as a concatenated message: each part carries a 6-octet UDH (IE 0x00, 8-bit reference) that costs 7
 * septets / 3 UCS-2 characters of room, hence 153 and 67.
 */

export type SmsEncoding = "GSM7" | "UCS2";

/** SMPP data_coding values: 0x00 the SMSC default alphabet (GSM-7 here), 0x08 UCS-2 big-endian. */
export const DATA_CODING: Record<SmsEncoding, number> = { GSM7: 0x00, UCS2: 0x08 };

/** esm_class bit telling the SMSC that short_message starts with a user data header. */
export const ESM_CLASS_UDH_INDICATOR = 0x40;

/** The concatenation IE numbers parts with one octet. */
export const MAX_PARTS = 255;

const PAYLOAD_OCTETS: Record<SmsEncoding, { single: number; perPart: number }> = {
  GSM7: { single: 160, perPart: 153 },
  UCS2: { single: 140, perPart: 134 },
};

export interface SmsPart {
  /** The slice of the original text this part carries. */
  text: string;
  /** SMPP short_message: the UDH (multipart only) followed by the encoded payload. */
  shortMessage: Buffer;
  /** SMPP esm_class for this part: the UDH indicator when a UDH is present, default mode otherwise. */
  esmClass: number;
}

export interface SegmentedSms {
  encoding: SmsEncoding;
  /** SMPP data_coding for every part. */
  dataCoding: number;
  parts: SmsPart[];
}

export class SmsTooLongError extends RangeError {
  constructor(readonly parts: number) {
    super(`The text needs ${parts} SMS parts; a concatenated SMS has at most ${MAX_PARTS}`);
    this.name = "SmsTooLongError";
  }
}

/** One character (code point) and its encoding; never split across parts. */
interface EncodedChar {
  char: string;
  octets: Buffer;
}

/**
 * Segments and encodes a text. `concatReference` (0–255) is the reference shared by the parts of one
 * message; give retries of the same message the same reference so a handset can still pair the parts.
 * Throws SmsTooLongError past 255 parts.
 */
export function segmentSms(
  text: string,
  concatReference = 0,
  options: { alphabet?: "gsm7" | "ucs2" } = {},
): SegmentedSms {
  if (!Number.isInteger(concatReference) || concatReference < 0 || concatReference > 0xff) {
    throw new RangeError(`concatReference must be an integer 0..255, got ${concatReference}`);
  }
  // "ucs2": gateways (CMPP) whose 7-bit format is ASCII rather than GSM-7 get UCS-2 for every text.
  const gsm = options.alphabet === "ucs2" ? undefined : encodeGsm7(text);
  const encoding: SmsEncoding = gsm ? "GSM7" : "UCS2";
  const chars = gsm ?? encodeUcs2(text);
  const limits = PAYLOAD_OCTETS[encoding];
  const totalOctets = chars.reduce((sum, { octets }) => sum + octets.length, 0);

  if (totalOctets <= limits.single) {
    const part = { text, shortMessage: Buffer.concat(chars.map((c) => c.octets)), esmClass: 0 };
    return { encoding, dataCoding: DATA_CODING[encoding], parts: [part] };
  }

  const groups = packGreedily(chars, limits.perPart);
  if (groups.length > MAX_PARTS) throw new SmsTooLongError(groups.length);
  const parts = groups.map((group, index) => ({
    text: group.map((c) => c.char).join(""),
    shortMessage: Buffer.concat([
      concatenationHeader(concatReference, groups.length, index + 1),
      ...group.map((c) => c.octets),
    ]),
    esmClass: ESM_CLASS_UDH_INDICATOR,
  }));
  return { encoding, dataCoding: DATA_CODING[encoding], parts };
}

/** UDH with one IE 0x00 (concatenated short messages, 8-bit reference): 05 00 03 ref total seq. */
function concatenationHeader(reference: number, total: number, sequence: number): Buffer {
  return Buffer.from([0x05, 0x00, 0x03, reference, total, sequence]);
}

/** Fills each part with as many whole characters as fit, so no escape or surrogate pair is split. */
function packGreedily(chars: EncodedChar[], octetsPerPart: number): EncodedChar[][] {
  const groups: EncodedChar[][] = [];
  let current: EncodedChar[] = [];
  let used = 0;
  for (const encoded of chars) {
    if (used + encoded.octets.length > octetsPerPart) {
      groups.push(current);
      current = [];
      used = 0;
    }
    current.push(encoded);
    used += encoded.octets.length;
  }
  groups.push(current);
  return groups;
}

/** Per-character GSM-7 septets, or undefined as soon as one character has none. */
function encodeGsm7(text: string): EncodedChar[] | undefined {
  const chars: EncodedChar[] = [];
  for (const char of text) {
    const septets = gsm7Septets(char);
    if (!septets) return undefined;
    chars.push({ char, octets: Buffer.from(septets) });
  }
  return chars;
}

/** Per-code-point UTF-16BE: iterating by code point keeps a surrogate pair (4 octets) together. */
function encodeUcs2(text: string): EncodedChar[] {
  return Array.from(text, (char) => ({ char, octets: Buffer.from(char, "utf16le").swap16() }));
}
