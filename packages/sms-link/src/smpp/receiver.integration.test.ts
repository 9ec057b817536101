import pino from "pino";
import { afterEach, describe, expect, it } from "vitest";
import { FakeSmsc } from "../testing/fake-smsc.js";
import { Concatenation } from "../text/concatenation.js";
import type { InboundMessage, InboundPart } from "../text/inbound.js";
import { SMPP_STATUS } from "./status.js";
import { SmppReceiver } from "./receiver.js";

const credentials = { systemId: "hall", password: "secret1" };
const logger = pino({ level: "silent" });
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function receiverOn(handler: (part: InboundPart) => Promise<void>) {
  const smsc = await FakeSmsc.start(credentials);
  cleanup.push(() => smsc.close());
  const receiver = await SmppReceiver.connect({ host: "127.0.0.1", port: smsc.port, ...credentials, logger }, handler);
  cleanup.push(() => receiver.close());
  return { smsc, receiver };
}

describe("SmppReceiver", () => {
  it("binds as a receiver and joins a long UCS-2 text delivered out of order", async () => {
    const messages: InboundMessage[] = [];
    const joiner = new Concatenation({ onIncomplete: (message) => messages.push(message) });
    const { smsc } = await receiverOn(async (part) => {
      const message = joiner.add(part);
      if (message) messages.push(message);
    });
    expect(smsc.receiverSessions).toBe(1);
    const text = "我要办个5G流量包，".repeat(12) + "🙂 thanks";
    const statuses = await smsc.deliverMo({ from: "13800138000", to: "10086", text, reference: 7, reversed: true });
    expect(statuses.length).toBeGreaterThan(1);
    expect(statuses.every((status) => status === SMPP_STATUS.ESME_ROK)).toBe(true);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ from: "13800138000", to: "10086", text, binary: false });
    expect(messages[0]!.parts).toBe(statuses.length);
  });

  it("reads GSM-7 text and reports 8-bit data as binary", async () => {
    const parts: InboundPart[] = [];
    const { smsc } = await receiverOn(async (part) => void parts.push(part));
    await smsc.deliverMo({ from: "13800138000", to: "10086", text: "CXYE @£" });
    await smsc.deliverMo({ from: "13800138000", to: "10086", binary: Buffer.from([0, 1, 2, 0xff]) });
    expect(parts.map(({ text, binary }) => ({ text, binary }))).toEqual([
      { text: "CXYE @£", binary: false },
      { text: "", binary: true },
    ]);
  });

  it("answers a temporary error when the handler fails, so the SMSC delivers the MO again", async () => {
    const { smsc } = await receiverOn(() => Promise.reject(new Error("database down")));
    expect(await smsc.deliverMo({ from: "13800138000", to: "10086", text: "CXYE" })).toEqual([
      SMPP_STATUS.ESME_RX_T_APPN,
    ]);
  });

  it("rejects refused credentials as BIND_REJECTED", async () => {
    const smsc = await FakeSmsc.start(credentials);
    cleanup.push(() => smsc.close());
    await expect(
      SmppReceiver.connect(
        { host: "127.0.0.1", port: smsc.port, systemId: "hall", password: "wrong", logger },
        async () => {},
      ),
    ).rejects.toMatchObject({ reason: "BIND_REJECTED" });
  });
});
