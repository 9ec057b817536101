import type { DeliveryStatus } from "./provider.js";

/**
 * SMSC delivery receipts (SMPP 3.4 §5.2.12 esm_class, Appendix B text format, §5.3.2 TLVs).
 * The text looks like
 *   id:0123456789 sub:001 dlvrd:001 submit date:2611221640 done date:2611221641 stat:DELIVRD err:000 text:…
 * and newer SMSCs also send the receipted_message_id and message_state TLVs, which win when present.
 */

export { isDeliveryReceipt } from "@omnihall/sms-link";

export interface ReceiptText {
  id?: string;
  sub?: string;
  dlvrd?: string;
  submitDate?: string;
  doneDate?: string;
  stat?: string;
  err?: string;
  text?: string;
}

const FIELD_KEYS: Record<string, keyof ReceiptText> = {
  id: "id",
  sub: "sub",
  dlvrd: "dlvrd",
  "submit date": "submitDate",
  "done date": "doneDate",
  stat: "stat",
  err: "err",
};

/** Reads the fields of a receipt text; keys are case-insensitive and any field may be missing. */
export function parseReceiptText(receipt: string): ReceiptText {
  // Everything after "text:" is the start of the original message and may itself contain "stat:" etc.
  const textAt = receipt.search(/(^|\s)text:/i);
  const head = textAt === -1 ? receipt : receipt.slice(0, textAt);
  const fields: ReceiptText = {};
  for (const match of head.matchAll(/(?:^|\s)(id|sub|dlvrd|submit date|done date|stat|err):(\S*)/gi)) {
    fields[FIELD_KEYS[match[1]!.toLowerCase()]!] = match[2]!;
  }
  if (textAt !== -1) fields.text = receipt.slice(textAt).replace(/^\s*text:/i, "");
  return fields;
}

/** Final receipt states; ENROUTE and ACCEPTD are intermediate and map to undefined. */
const STAT_STATUS: Record<string, DeliveryStatus> = {
  DELIVRD: "DELIVERED",
  EXPIRED: "EXPIRED",
  DELETED: "UNDELIVERABLE",
  UNDELIV: "UNDELIVERABLE",
  UNKNOWN: "UNDELIVERABLE",
  REJECTD: "REJECTED",
};

/** SMPP message_state values (§5.2.28) in the same terms. */
const MESSAGE_STATE_STATUS: Record<number, DeliveryStatus> = {
  2: "DELIVERED",
  3: "EXPIRED",
  4: "UNDELIVERABLE",
  5: "UNDELIVERABLE",
  7: "UNDELIVERABLE",
  8: "REJECTED",
};

export interface ReceiptPdu {
  /** The receipt text, already decoded from short_message. */
  text: string;
  receiptedMessageId?: string;
  messageState?: number;
  networkErrorCode?: Buffer;
}

export interface ParsedReceipt {
  providerMessageId: string;
  /** Undefined for an intermediate state, which is acknowledged but not reported. */
  status: DeliveryStatus | undefined;
  errorCode?: string;
}

/** The provider id, final status and error code a receipt carries, or undefined when it names no message. */
export function parseReceipt(pdu: ReceiptPdu): ParsedReceipt | undefined {
  const text = parseReceiptText(pdu.text);
  const providerMessageId = pdu.receiptedMessageId || text.id;
  if (!providerMessageId) return undefined;
  const status =
    pdu.messageState !== undefined
      ? MESSAGE_STATE_STATUS[pdu.messageState]
      : text.stat
        ? STAT_STATUS[text.stat.toUpperCase()]
        : undefined;
  const errorCode = text.err ?? networkErrorCode(pdu.networkErrorCode);
  return { providerMessageId, status, ...(errorCode !== undefined && { errorCode }) };
}

/** TLV network_error_code: one octet network type, two octets error code; reported as the code. */
function networkErrorCode(value: Buffer | undefined): string | undefined {
  return value && value.length >= 3 ? String(value.readUInt16BE(1)) : undefined;
}

/**
 * A mainland number as we address it (11 digits): a receipt's originator may be written internationally
 * (86…, +86…, 0086…) though we submitted it national.
 */
export function nationalNumber(address: string): string {
  return /^(?:\+|00)?86(1\d{10})$/.exec(address)?.[1] ?? address;
}
