import { describe, expect, it } from "vitest";
import { gsm7Decode, gsm7Septets } from "./gsm7.js";
import { DATA_CODING, ESM_CLASS_UDH_INDICATOR, MAX_PARTS, segmentSms, SmsTooLongError } from "./segment.js";

const UDH_LENGTH = 6;

/** The payload of a part without its UDH. */
function payload(shortMessage: Buffer, hasUdh: boolean): Buffer {
  return hasUdh ? shortMessage.subarray(UDH_LENGTH) : shortMessage;
}

function decodeUcs2(octets: Buffer): string {
  return Buffer.from(octets).swap16().toString("utf16le");
}

describe("GSM-7 alphabet", () => {
  it("round-trips every default-alphabet septet except the escape", () => {
    for (let septet = 0; septet < 128; septet++) {
      if (septet === 0x1b) continue;
      const char = gsm7Decode(Uint8Array.of(septet));
      expect(gsm7Septets(char), `septet 0x${septet.toString(16)} (${JSON.stringify(char)})`).toEqual([septet]);
    }
  });

  it("escapes the extension characters with 0x1B", () => {
    expect(gsm7Septets("€")).toEqual([0x1b, 0x65]);
    expect(gsm7Septets("{")).toEqual([0x1b, 0x28]);
    expect(gsm7Septets("\f")).toEqual([0x1b, 0x0a]);
    for (const char of "^{}\\[~]|€") expect(gsm7Septets(char)).toHaveLength(2);
  });

  it("has no mapping for characters outside the alphabet, nor for a raw ESC", () => {
    for (const char of ["中", "`", "\u001b", "á", "😀", "\t"]) expect(gsm7Septets(char)).toBeUndefined();
  });
});

describe("segmentSms: encoding choice", () => {
  it("uses GSM-7 (data_coding 0x00) for text of the default alphabet and extension table", () => {
    const sms = segmentSms("Hello @£$¥ {x} [y] ~|^ 5€ \\ Δ_ΩÅ");
    expect(sms.encoding).toBe("GSM7");
    expect(sms.dataCoding).toBe(0x00);
    expect(DATA_CODING.GSM7).toBe(0x00);
  });

  it("uses UCS-2 (data_coding 0x08) as soon as one character is outside GSM-7", () => {
    for (const text of ["您好", "Hello 世界", "price `5`", "tab\there", "café á"]) {
      const sms = segmentSms(text);
      expect(sms.encoding, text).toBe("UCS2");
      expect(sms.dataCoding).toBe(0x08);
    }
  });

  it("encodes GSM-7 as unpacked septets, extension characters as ESC + code", () => {
    const [part] = segmentSms("A@€{").parts;
    expect([...part!.shortMessage]).toEqual([0x41, 0x00, 0x1b, 0x65, 0x1b, 0x28]);
    expect(part!.esmClass).toBe(0);
  });

  it("encodes UCS-2 big-endian, astral characters as a surrogate pair", () => {
    const [part] = segmentSms("中a😀").parts;
    expect([...part!.shortMessage]).toEqual([0x4e, 0x2d, 0x00, 0x61, 0xd8, 0x3d, 0xde, 0x00]);
  });
});

describe("segmentSms: part counts", () => {
  const cases: Array<[string, string, number]> = [
    ["empty text", "", 1],
    ["160 GSM-7 characters", "a".repeat(160), 1],
    ["161 GSM-7 characters", "a".repeat(161), 2],
    ["306 GSM-7 characters", "a".repeat(306), 2],
    ["307 GSM-7 characters", "a".repeat(307), 3],
    ["80 euro signs (160 septets)", "€".repeat(80), 1],
    ["81 euro signs (162 septets)", "€".repeat(81), 2],
    ["70 Chinese characters", "汉".repeat(70), 1],
    ["71 Chinese characters", "汉".repeat(71), 2],
    ["134 Chinese characters", "汉".repeat(134), 2],
    ["135 Chinese characters", "汉".repeat(135), 3],
    ["201 Chinese characters", "汉".repeat(201), 3],
    ["202 Chinese characters", "汉".repeat(202), 4],
    ["35 emoji (70 UTF-16 units)", "😀".repeat(35), 1],
    ["36 emoji (72 UTF-16 units)", "😀".repeat(36), 2],
  ];
  it.each(cases)("%s → %i part(s)", (_name, text, parts) => {
    expect(segmentSms(text).parts).toHaveLength(parts);
  });

  it("keeps every part within 153 septets / 67 UCS-2 characters plus the 6-octet UDH", () => {
    for (const sms of [segmentSms("x€".repeat(500)), segmentSms("汉😀a".repeat(200))]) {
      const limit = sms.encoding === "GSM7" ? 153 : 134;
      for (const part of sms.parts) expect(payload(part.shortMessage, true).length).toBeLessThanOrEqual(limit);
    }
  });

  it("refuses a text that needs more than 255 parts", () => {
    expect(segmentSms("a".repeat(153 * MAX_PARTS)).parts).toHaveLength(MAX_PARTS);
    expect(() => segmentSms("a".repeat(153 * MAX_PARTS + 1))).toThrow(SmsTooLongError);
  });
});

describe("segmentSms: multipart", () => {
  it("prefixes each part with the concatenation UDH 05 00 03 ref total seq and sets the UDHI bit", () => {
    const sms = segmentSms("汉".repeat(135), 0xab);
    expect(sms.parts.map((p) => [...p.shortMessage.subarray(0, UDH_LENGTH)])).toEqual([
      [0x05, 0x00, 0x03, 0xab, 3, 1],
      [0x05, 0x00, 0x03, 0xab, 3, 2],
      [0x05, 0x00, 0x03, 0xab, 3, 3],
    ]);
    for (const part of sms.parts) expect(part.esmClass & ESM_CLASS_UDH_INDICATOR).toBe(ESM_CLASS_UDH_INDICATOR);
  });

  it("fills parts greedily and reassembles to the original text", () => {
    const text = "汉".repeat(135);
    const sms = segmentSms(text);
    expect(sms.parts.map((p) => [...p.text].length)).toEqual([67, 67, 1]);
    expect(sms.parts.map((p) => decodeUcs2(payload(p.shortMessage, true))).join("")).toBe(text);
    expect(sms.parts.map((p) => p.text).join("")).toBe(text);
  });

  it("never splits a GSM-7 escape pair: the extension character moves whole to the next part", () => {
    const text = "a".repeat(152) + "€" + "b".repeat(10);
    const sms = segmentSms(text);
    const first = payload(sms.parts[0]!.shortMessage, true);
    expect(first).toHaveLength(152);
    expect(first.at(-1)).not.toBe(0x1b);
    expect([...payload(sms.parts[1]!.shortMessage, true).subarray(0, 2)]).toEqual([0x1b, 0x65]);
    expect(sms.parts.map((p) => gsm7Decode(payload(p.shortMessage, true))).join("")).toBe(text);
  });

  it("never splits a surrogate pair: the emoji moves whole to the next part", () => {
    const text = "汉".repeat(66) + "😀" + "汉".repeat(5);
    const sms = segmentSms(text);
    expect(payload(sms.parts[0]!.shortMessage, true)).toHaveLength(132);
    expect(sms.parts[1]!.text.startsWith("😀")).toBe(true);
    expect(sms.parts.map((p) => decodeUcs2(payload(p.shortMessage, true))).join("")).toBe(text);
  });

  it("sends a single part without a UDH", () => {
    const [part] = segmentSms("汉".repeat(70), 7).parts;
    expect(part!.shortMessage).toHaveLength(140);
    expect(part!.esmClass).toBe(0);
  });

  it("rejects a reference outside one octet", () => {
    expect(() => segmentSms("hi", 256)).toThrow(RangeError);
    expect(() => segmentSms("hi", -1)).toThrow(RangeError);
  });
});
