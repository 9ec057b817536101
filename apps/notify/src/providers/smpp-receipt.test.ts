import { describe, expect, it } from "vitest";
import { isDeliveryReceipt, nationalNumber, parseReceipt, parseReceiptText } from "./smpp-receipt.js";

const STANDARD =
  "id:0123456789 sub:001 dlvrd:001 submit date:2611221640 done date:2611221641 stat:DELIVRD err:000 text:Hello";

describe("parseReceiptText", () => {
  it("reads every field of the SMPP 3.4 Appendix B format", () => {
    expect(parseReceiptText(STANDARD)).toEqual({
      id: "0123456789",
      sub: "001",
      dlvrd: "001",
      submitDate: "2611221640",
      doneDate: "2611221641",
      stat: "DELIVRD",
      err: "000",
      text: "Hello",
    });
  });

  it("ignores field-like words inside the original text", () => {
    const fields = parseReceiptText("id:abc stat:UNDELIV err:012 Text:stat:DELIVRD id:zzz");
    expect(fields).toMatchObject({ id: "abc", stat: "UNDELIV", err: "012", text: "stat:DELIVRD id:zzz" });
  });

  it("accepts any case and missing fields", () => {
    expect(parseReceiptText("ID:7f STAT:expired")).toEqual({ id: "7f", stat: "expired" });
    expect(parseReceiptText("garbage")).toEqual({});
  });
});

describe("parseReceipt", () => {
  it.each([
    ["DELIVRD", "DELIVERED"],
    ["UNDELIV", "UNDELIVERABLE"],
    ["DELETED", "UNDELIVERABLE"],
    ["EXPIRED", "EXPIRED"],
    ["REJECTD", "REJECTED"],
    ["ENROUTE", undefined],
    ["ACCEPTD", undefined],
  ])("maps stat:%s to %s", (stat, status) => {
    expect(parseReceipt({ text: `id:m1 stat:${stat} err:000` })).toEqual({
      providerMessageId: "m1",
      status,
      errorCode: "000",
    });
  });

  it("prefers the receipted_message_id and message_state TLVs over the text", () => {
    const receipt = parseReceipt({ text: "id:123 stat:DELIVRD", receiptedMessageId: "7b", messageState: 5 });
    expect(receipt).toEqual({ providerMessageId: "7b", status: "UNDELIVERABLE" });
  });

  it("falls back to the network_error_code TLV for the error code", () => {
    const receipt = parseReceipt({
      text: "",
      receiptedMessageId: "9",
      messageState: 3,
      networkErrorCode: Buffer.from([3, 0, 27]),
    });
    expect(receipt).toEqual({ providerMessageId: "9", status: "EXPIRED", errorCode: "27" });
  });

  it("returns undefined when the receipt names no message", () => {
    expect(parseReceipt({ text: "stat:DELIVRD" })).toBeUndefined();
  });
});

describe("isDeliveryReceipt", () => {
  it("recognises the SMSC delivery receipt message type, whatever the other esm_class bits", () => {
    expect(isDeliveryReceipt(0x04)).toBe(true);
    expect(isDeliveryReceipt(0x44)).toBe(true);
    expect(isDeliveryReceipt(0x00)).toBe(false);
    expect(isDeliveryReceipt(0x40)).toBe(false);
    expect(isDeliveryReceipt(0x20)).toBe(false);
  });
});

describe("nationalNumber", () => {
  it("reads a receipt's originator written internationally as the national number we submitted to", () => {
    for (const address of ["13800138000", "8613800138000", "+8613800138000", "008613800138000"]) {
      expect(nationalNumber(address)).toBe("13800138000");
    }
  });

  it("leaves any other address as it is", () => {
    for (const address of ["10086", "861380013800", "+85291234567", "4413800138000"]) {
      expect(nationalNumber(address)).toBe(address);
    }
  });
});
