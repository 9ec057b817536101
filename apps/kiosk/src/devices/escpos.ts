import iconv from "iconv-lite";

/**
 * ESC/POS receipts for the 58/80 mm thermal printers kiosks carry. Chinese printers take GB18030 text (the
 * printer's default code page in Chinese mode: FS &), so text is encoded with iconv-lite, never as UTF-8.
 */
const ESC = 0x1b;
const GS = 0x1d;
const FS = 0x1c;

export const ESC_POS = {
  init: [ESC, 0x40],
  chineseMode: [FS, 0x26],
  alignLeft: [ESC, 0x61, 0],
  alignCenter: [ESC, 0x61, 1],
  boldOn: [ESC, 0x45, 1],
  boldOff: [ESC, 0x45, 0],
  doubleSize: [GS, 0x21, 0x11],
  normalSize: [GS, 0x21, 0x00],
  feedAndCut: [ESC, 0x64, 4, GS, 0x56, 0x00],
} as const;

export type ReceiptLine = { text: string; bold?: boolean; center?: boolean; large?: boolean } | { rule: true };

const RULE_WIDTH = 32;

/** Encodes receipt lines as one ESC/POS job: initialise, Chinese mode, the lines, feed and cut. */
export function encodeReceipt(lines: ReceiptLine[]): Uint8Array {
  const parts: Buffer[] = [Buffer.from(ESC_POS.init), Buffer.from(ESC_POS.chineseMode)];
  for (const line of lines) {
    if ("rule" in line) {
      parts.push(Buffer.from("-".repeat(RULE_WIDTH) + "\n", "ascii"));
      continue;
    }
    parts.push(Buffer.from(line.center ? ESC_POS.alignCenter : ESC_POS.alignLeft));
    if (line.bold) parts.push(Buffer.from(ESC_POS.boldOn));
    if (line.large) parts.push(Buffer.from(ESC_POS.doubleSize));
    parts.push(iconv.encode(line.text + "\n", "gb18030"));
    if (line.large) parts.push(Buffer.from(ESC_POS.normalSize));
    if (line.bold) parts.push(Buffer.from(ESC_POS.boldOff));
  }
  parts.push(Buffer.from(ESC_POS.alignLeft), Buffer.from(ESC_POS.feedAndCut));
  return new Uint8Array(Buffer.concat(parts));
}

/** The text of an ESC/POS job (control sequences dropped), for tests and the development printer's reader. */
export function decodeReceiptText(bytes: Uint8Array): string {
  const text: number[] = [];
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if (b === ESC || b === GS || b === FS) {
      const next = bytes[i + 1];
      // ESC @ and FS & take no argument; ESC d / ESC a / ESC E / GS ! / GS V take one.
      i += next === 0x40 || next === 0x26 ? 1 : 2;
      continue;
    }
    text.push(b);
  }
  return iconv.decode(Buffer.from(text), "gb18030");
}
