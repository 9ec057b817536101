import iconv from "iconv-lite";
import { describe, expect, it } from "vitest";
import { decodeReceiptText, encodeReceipt, ESC_POS } from "./escpos.js";
import { lineReader } from "./protocol.js";

describe("ESC/POS receipts", () => {
  it("initialises, switches to Chinese mode, writes GB18030 text, and feeds and cuts", () => {
    const bytes = encodeReceipt([{ text: "到账 ¥150.00", bold: true, large: true }, { rule: true }]);
    expect([...bytes.subarray(0, 4)]).toEqual([...ESC_POS.init, ...ESC_POS.chineseMode]);
    expect([...bytes.subarray(bytes.length - ESC_POS.feedAndCut.length)]).toEqual([...ESC_POS.feedAndCut]);
    // 到 in GB18030 is B5 BD; never UTF-8 (E5 88 B0), which a Chinese printer would print as garbage.
    expect(Buffer.from(bytes).includes(Buffer.from([0xb5, 0xbd]))).toBe(true);
    expect(Buffer.from(bytes).includes(Buffer.from("到", "utf8"))).toBe(false);
    expect(Buffer.from(bytes).includes(Buffer.from([...ESC_POS.boldOn]))).toBe(true);
    expect(decodeReceiptText(bytes)).toBe(`到账 ¥150.00\n${"-".repeat(32)}\n`);
  });

  it("round-trips both languages through the decoder", () => {
    const text = "号码 Number: 138****8000";
    expect(decodeReceiptText(encodeReceipt([{ text }]))).toBe(`${text}\n`);
    expect(iconv.encodingExists("gb18030")).toBe(true);
  });
});

describe("KDP/1 line reader", () => {
  it("joins lines split across chunks, skips blank ones and reports a malformed one without stopping", () => {
    const messages: unknown[] = [];
    const malformed: string[] = [];
    const read = lineReader(
      (m) => messages.push(m),
      (l) => malformed.push(l),
    );
    read(Buffer.from('{"event":"cash.note","seq'));
    read(Buffer.from('uence":1,"denominationFen":100}\n\nnot json\n{"id":2,"ok":true}\n'));
    expect(messages).toEqual([
      { event: "cash.note", sequence: 1, denominationFen: 100 },
      { id: 2, ok: true },
    ]);
    expect(malformed).toEqual(["not json"]);
  });
});
