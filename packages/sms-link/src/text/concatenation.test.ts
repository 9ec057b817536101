import { describe, expect, it, vi } from "vitest";
import { Concatenation } from "./concatenation.js";
import type { InboundMessage, InboundPart } from "./inbound.js";
import { decodePayload, splitUserDataHeader } from "./inbound.js";

const part = (sequence: number, text: string, reference = 1, total = 3): InboundPart => ({
  from: "13800138000",
  to: "10086",
  text,
  binary: false,
  concat: { reference, total, sequence },
  gatewayMessageId: `m${reference}-${sequence}`,
});

describe("Concatenation", () => {
  it("joins parts in sequence order whatever order they arrive in, a repeated part counted once", () => {
    const joiner = new Concatenation({ onIncomplete: () => {} });
    expect(joiner.add(part(3, "c"))).toBeUndefined();
    expect(joiner.add(part(1, "a"))).toBeUndefined();
    expect(joiner.add(part(1, "a"))).toBeUndefined();
    expect(joiner.add(part(2, "b"))).toMatchObject({ text: "abc", parts: 3, expectedParts: 3 });
    expect(joiner.waiting).toBe(0);
  });

  it("hands on what arrived when the rest never comes", () => {
    vi.useFakeTimers();
    try {
      const incomplete: InboundMessage[] = [];
      const joiner = new Concatenation({ timeoutMs: 1000, onIncomplete: (message) => incomplete.push(message) });
      joiner.add(part(1, "a"));
      vi.advanceTimersByTime(1001);
      expect(incomplete).toMatchObject([{ text: "a", parts: 1, expectedParts: 3 }]);
    } finally {
      vi.useRealTimers();
    }
  });

  it("pushes the oldest waiting message out when too many wait", () => {
    const incomplete: InboundMessage[] = [];
    const joiner = new Concatenation({ maxPending: 2, onIncomplete: (message) => incomplete.push(message) });
    joiner.add(part(1, "a", 1));
    joiner.add(part(1, "b", 2));
    joiner.add(part(1, "c", 3));
    expect(incomplete.map((message) => message.text)).toEqual(["a"]);
    joiner.flush();
  });
});

describe("payloads", () => {
  it("decodes UCS-2, GBK and GSM-7, and refuses to read 8-bit data as text", () => {
    expect(decodePayload(0x08, Buffer.from("查余额", "utf16le").swap16())).toEqual({ text: "查余额", binary: false });
    expect(decodePayload(0x0f, Buffer.from([0xb2, 0xe9]))).toEqual({ text: "查", binary: false });
    expect(decodePayload(0x00, Uint8Array.of(0x43, 0x00))).toEqual({ text: "C@", binary: false });
    expect(decodePayload(0x04, Uint8Array.of(1, 2))).toEqual({ text: "", binary: true });
  });

  it("splits a UDH with an 8-bit or 16-bit concatenation IE", () => {
    const eight = splitUserDataHeader(Uint8Array.of(5, 0, 3, 9, 2, 1, 0x41));
    expect(eight.concat).toEqual({ reference: 9, total: 2, sequence: 1 });
    expect([...eight.payload]).toEqual([0x41]);
    const sixteen = splitUserDataHeader(Uint8Array.of(6, 8, 4, 1, 2, 3, 3, 0x42));
    expect(sixteen.concat).toEqual({ reference: 0x102, total: 3, sequence: 3 });
    expect(splitUserDataHeader(Uint8Array.of(9, 0)).concat).toBeUndefined();
  });
});
