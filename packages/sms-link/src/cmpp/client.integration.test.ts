import pino from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import { FakeIsmg } from "../testing/fake-ismg.js";
import { Concatenation } from "../text/concatenation.js";
import type { InboundMessage, InboundPart } from "../text/inbound.js";
import { CmppClient } from "./client.js";

const credentials = { sourceAddr: "901234", sharedSecret: "s3cret" };
const logger = pino({ level: "silent" });
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

async function connected(onMo: (part: InboundPart) => Promise<void> = async () => {}, activeTestIntervalMs = 30_000) {
  const ismg = await FakeIsmg.start(credentials);
  cleanup.push(() => ismg.close());
  const client = await CmppClient.connect(
    {
      host: "127.0.0.1",
      port: ismg.port,
      ...credentials,
      serviceId: "OMNIHALL",
      srcId: "10086",
      activeTestIntervalMs,
      reconnectDelay: { initialMs: 20, maxMs: 100 },
      logger,
    },
    { onMo },
  );
  cleanup.push(() => client.close());
  return { ismg, client };
}

describe("CmppClient against a CMPP 3.0 gateway", () => {
  it("connects with the MD5 authenticator and submits a long text as UCS-2 parts with a UDH", async () => {
    const { ismg, client } = await connected();
    const text = "您的账户余额为12.34元。".repeat(8);
    const ids = await client.submit({ to: "13800138000", text, reference: 3 });
    expect(ids.length).toBeGreaterThan(1);
    expect(ismg.submits.map((s) => s.pkNumber)).toEqual(ids.map((_, i) => i + 1));
    expect(ismg.submits.every((s) => s.pkTotal === ids.length && s.srcId === "10086" && s.to === "13800138000")).toBe(
      true,
    );
    expect(ismg.submits.map((s) => s.text).join("")).toBe(text);
  });

  it("takes MO texts from DELIVER, long ones joined whatever order the parts come in", async () => {
    const messages: InboundMessage[] = [];
    const joiner = new Concatenation({ onIncomplete: (m) => messages.push(m) });
    const { ismg } = await connected(async (part) => {
      const message = joiner.add(part);
      if (message) messages.push(message);
    });
    const long = "我要办个5G流量包，".repeat(10);
    expect(await ismg.deliverMo({ from: "13800138000", to: "10086", text: "查余额" })).toEqual([0]);
    const results = await ismg.deliverMo({
      from: "13800138000",
      to: "10086",
      text: long,
      reversed: true,
      reference: 5,
    });
    expect(results.every((r) => r === 0)).toBe(true);
    expect(messages.map((m) => m.text)).toEqual(["查余额", long]);
  });

  it("answers flow control when the MO handler fails, so the gateway sends it again", async () => {
    const { ismg } = await connected(() => Promise.reject(new Error("busy")));
    expect(await ismg.deliverMo({ from: "13800138000", to: "10086", text: "CXYE" })).toEqual([8]);
  });

  it("keeps the link alive with ACTIVE_TEST and reconnects after a drop", async () => {
    const { ismg, client } = await connected(undefined, 30);
    await vi.waitFor(() => expect(ismg.activeTests).toBeGreaterThanOrEqual(2), { timeout: 5_000, interval: 10 });
    ismg.dropConnections();
    await vi.waitFor(
      () =>
        expect({ connects: ismg.connects >= 2, connected: client.connected }).toEqual({
          connects: true,
          connected: true,
        }),
      { timeout: 5_000, interval: 10 },
    );
    expect(await client.submit({ to: "13800138000", text: "ok" })).toHaveLength(1);
  });

  it("refuses a wrong shared secret as BIND_REJECTED", async () => {
    const ismg = await FakeIsmg.start(credentials);
    cleanup.push(() => ismg.close());
    await expect(
      CmppClient.connect({
        host: "127.0.0.1",
        port: ismg.port,
        sourceAddr: "901234",
        sharedSecret: "wrong",
        serviceId: "X",
        srcId: "10086",
        logger,
      }),
    ).rejects.toMatchObject({ reason: "BIND_REJECTED" });
  });
});
