import { randomUUID } from "node:crypto";
import { pino } from "pino";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { DeliveryReport, OutboundSms } from "./provider.js";
import { SmsProviderError } from "./provider.js";
import { SmppSmsProvider, type SmppProviderConfig } from "./smpp-provider.js";
import { SMPP_STATUS } from "./smpp-status.js";
import { FakeSmsc } from "./testing/fake-smsc.js";

const CREDENTIALS = { systemId: "omnihall", password: "s3cret" };
const logger = pino({ level: process.env.LOG_LEVEL ?? "silent" });

const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function startSmsc(): Promise<FakeSmsc> {
  const smsc = await FakeSmsc.start(CREDENTIALS);
  cleanups.push(() => smsc.close());
  return smsc;
}

async function connect(smsc: FakeSmsc, config: Partial<SmppProviderConfig> = {}): Promise<SmppSmsProvider> {
  const provider = await SmppSmsProvider.connect({
    host: "127.0.0.1",
    port: config.port ?? smsc.port,
    ...CREDENTIALS,
    messagesPerSecond: 1000,
    responseTimeoutMs: 2000,
    reconnectDelay: { initialMs: 50, maxMs: 200 },
    logger,
    ...config,
  });
  cleanups.push(() => provider.close());
  return provider;
}

function sms(text: string) {
  return { messageId: `msg_${randomUUID()}`, from: "10086", to: "13800138000", text };
}

async function rejection(promise: Promise<unknown>): Promise<SmsProviderError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SmsProviderError);
  return error as SmsProviderError;
}

describe("SmppSmsProvider", () => {
  it("binds and sends a single-part GSM-7 message", async () => {
    const smsc = await startSmsc();
    const provider = await connect(smsc);

    const result = await provider.send(sms("Your balance is 12.50 yuan {CNY}"));

    expect(result).toEqual({ providerMessageIds: [smsc.submits[0]!.messageId], parts: 1 });
    expect(smsc.submits[0]).toMatchObject({
      sourceAddr: "10086",
      destinationAddr: "13800138000",
      dataCoding: 0x00,
      esmClass: 0x00,
      registeredDelivery: 0x01,
      udh: [],
      text: "Your balance is 12.50 yuan {CNY}",
    });
  });

  it("sends a long Chinese text as UCS-2 parts with one concatenation UDH reference", async () => {
    const smsc = await startSmsc();
    const provider = await connect(smsc);
    const text = "尊敬的客户，您本月的流量套餐已使用百分之八十。".repeat(6).slice(0, 135);

    const result = await provider.send(sms(text));

    expect(result.parts).toBe(3);
    expect(result.providerMessageIds).toEqual(smsc.submits.map((s) => s.messageId));
    const reference = smsc.submits[0]!.udh[0]![2];
    smsc.submits.forEach((submit, index) => {
      expect(submit.dataCoding).toBe(0x08);
      expect(submit.esmClass & 0x40).toBe(0x40);
      expect([...submit.udh[0]!]).toEqual([0x00, 0x03, reference, 3, index + 1]);
    });
    expect(smsc.submits.map((s) => s.text).join("")).toBe(text);
  });

  it("sends a long GSM-7 text in 153-septet parts without splitting an escape", async () => {
    const smsc = await startSmsc();
    const provider = await connect(smsc);
    const text = "a".repeat(152) + "€ and [brackets] ~ " + "z".repeat(100);

    const result = await provider.send(sms(text));

    expect(result.parts).toBe(2);
    expect(smsc.submits.map((s) => [s.dataCoding, s.udh[0]![3], s.udh[0]![4]])).toEqual([
      [0x00, 2, 1],
      [0x00, 2, 2],
    ]);
    expect(smsc.submits[1]!.text.startsWith("€")).toBe(true);
    expect(smsc.submits.map((s) => s.text).join("")).toBe(text);
  });

  it("holds the configured rate", async () => {
    const smsc = await startSmsc();
    const provider = await connect(smsc, { messagesPerSecond: 40, burst: 1, windowSize: 20 });

    await Promise.all(Array.from({ length: 60 }, (_, i) => provider.send(sms(`rate test ${i}`))));

    const times = smsc.submits.map((s) => s.receivedAt);
    // 59 intervals at 40/s take about 1.475 s; the bounds are generous on purpose.
    expect(times.at(-1)! - times[0]!).toBeGreaterThan(1200);
    expect(times.at(-1)! - times[0]!).toBeLessThan(5000);
    const busiestHalfSecond = Math.max(...times.map((t) => times.filter((u) => u >= t && u < t + 500).length));
    expect(busiestHalfSecond).toBeLessThanOrEqual(25);
  });

  it("never has more submits outstanding than the window", async () => {
    const smsc = await startSmsc();
    const provider = await connect(smsc, { windowSize: 3 });
    smsc.holdResponses();

    const sends = Array.from({ length: 8 }, (_, i) => provider.send(sms(`window test ${i}`)));
    await vi.waitFor(() => expect(smsc.submits).toHaveLength(3));
    // A wait for something not to happen with no end to observe: the five other sends wait inside the provider,
    // and nothing tells "it will never send a fourth". 300 ms gives a provider that ignores the window the time
    // to show it before the responses are released.
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(smsc.submits).toHaveLength(3);
    smsc.releaseResponses();

    const results = await Promise.all(sends);
    expect(results.flatMap((r) => r.providerMessageIds)).toHaveLength(8);
    expect(smsc.maxOutstanding).toBe(3);
  });

  it("classifies SMSC refusals: throttling is retryable, a bad destination is not", async () => {
    const smsc = await startSmsc();
    const provider = await connect(smsc);

    smsc.refuseNext(SMPP_STATUS.ESME_RTHROTTLED);
    const throttled = await rejection(provider.send(sms("hello")));
    expect(throttled).toMatchObject({ reason: "THROTTLED", retryable: true, providerCode: 0x58 });

    smsc.refuseNext(SMPP_STATUS.ESME_RMSGQFUL);
    expect(await rejection(provider.send(sms("hello")))).toMatchObject({ reason: "THROTTLED", retryable: true });

    smsc.refuseNext(SMPP_STATUS.ESME_RINVDSTADR);
    const invalid = await rejection(provider.send(sms("hello")));
    expect(invalid).toMatchObject({ reason: "INVALID_DESTINATION", retryable: false, providerCode: 0x0b });
    expect(invalid.localizedMessage["zh-CN"]).toBe("接收号码无效");
  });

  it("reports which parts were accepted when a multipart send fails part-way", async () => {
    const smsc = await startSmsc();
    const provider = await connect(smsc);
    const text = "汉".repeat(135);
    // Let the first part through, then refuse the second.
    smsc.holdResponses();
    const sending = provider.send(sms(text));
    await vi.waitFor(() => expect(smsc.submits).toHaveLength(1));
    smsc.refuseNext(SMPP_STATUS.ESME_RSYSERR);
    smsc.releaseResponses();

    const error = await rejection(sending);
    expect(error).toMatchObject({ reason: "PROVIDER_TEMPORARY", retryable: true });
    expect(error.acceptedProviderMessageIds).toEqual([smsc.submits[0]!.messageId]);
  });

  it("maps delivery receipts back to our messageId and acknowledges them", async () => {
    const smsc = await startSmsc();
    const provider = await connect(smsc);
    const reports: DeliveryReport[] = [];
    provider.onDeliveryReport((report) => {
      reports.push(report);
    });
    const delivered = sms("delivered");
    const failed = sms("failed");
    const decimal = sms("decimal id");
    await provider.send(delivered);
    await provider.send(failed);
    await provider.send(decimal);
    const [first, second, third] = smsc.submits;

    expect(await smsc.sendReceipt(first!)).toBe(SMPP_STATUS.ESME_ROK);
    expect(await smsc.sendReceipt(second!, { stat: "UNDELIV", err: "013", tlvs: { messageState: 5 } })).toBe(0);
    expect(await smsc.sendReceipt(third!, { stat: "EXPIRED", decimalIdInText: true })).toBe(0);

    // Each receipt also carries the message's trace: the recipient, and the reference its submit carried.
    const trace = (message: OutboundSms) => provider.receiptTrace(message).trace;
    expect(reports).toEqual([
      {
        providerMessageId: first!.messageId,
        messageId: delivered.messageId,
        status: "DELIVERED",
        errorCode: "000",
        trace: trace(delivered),
      },
      {
        providerMessageId: second!.messageId,
        messageId: failed.messageId,
        status: "UNDELIVERABLE",
        errorCode: "013",
        trace: trace(failed),
      },
      {
        providerMessageId: third!.messageId,
        messageId: decimal.messageId,
        status: "EXPIRED",
        errorCode: "000",
        trace: trace(decimal),
      },
    ]);
    expect(trace(delivered).recipient).toBe(delivered.to);
    expect(first!.userMessageReference).toBe(Number(trace(delivered).reference));
  });

  it("asks the SMSC to deliver a receipt again when the listener fails", async () => {
    const smsc = await startSmsc();
    const provider = await connect(smsc);
    let failures = 1;
    const reports: DeliveryReport[] = [];
    provider.onDeliveryReport(async (report) => {
      if (failures-- > 0) throw new Error("database unavailable");
      reports.push(report);
    });
    const message = sms("retry my receipt");
    await provider.send(message);

    expect(await smsc.sendReceipt(smsc.submits[0]!)).toBe(SMPP_STATUS.ESME_RX_T_APPN);
    expect(await smsc.sendReceipt(smsc.submits[0]!)).toBe(SMPP_STATUS.ESME_ROK);
    expect(reports).toEqual([expect.objectContaining({ messageId: message.messageId, status: "DELIVERED" })]);
  });

  it("fails in-flight submits as retryable when the link drops, rebinds, then sends again", async () => {
    const smsc = await startSmsc();
    const provider = await connect(smsc, { reconnectDelay: { initialMs: 400, maxMs: 400 } });
    smsc.holdResponses();
    const inFlight = provider.send(sms("lost on the wire"));
    await vi.waitFor(() => expect(smsc.submits).toHaveLength(1));

    smsc.dropConnections();
    expect(await rejection(inFlight)).toMatchObject({ reason: "CONNECTION_LOST", retryable: true });
    await vi.waitFor(() => expect(provider.bound).toBe(false));
    expect(await rejection(provider.send(sms("while down")))).toMatchObject({
      reason: "CONNECTION_LOST",
      retryable: true,
    });

    smsc.releaseResponses();
    await vi.waitFor(() => expect(provider.bound).toBe(true), { timeout: 5000 });
    expect(smsc.bindAttempts).toBe(2);
    const result = await provider.send(sms("after the rebind"));
    expect(result.providerMessageIds).toEqual([smsc.submits.at(-1)!.messageId]);
  });

  it("keeps the link alive with enquire_link and drops a link that stops answering", async () => {
    const smsc = await startSmsc();
    const provider = await connect(smsc, { enquireLinkIntervalMs: 100, responseTimeoutMs: 300 });
    await vi.waitFor(() => expect(smsc.enquireLinks).toBeGreaterThanOrEqual(3));
    expect(smsc.bindAttempts).toBe(1);

    smsc.ignoreEnquireLinks = true;
    await vi.waitFor(() => expect(provider.bound).toBe(false), { timeout: 3000 });
    smsc.ignoreEnquireLinks = false;
    await vi.waitFor(() => expect(provider.bound).toBe(true), { timeout: 3000 });
    expect(smsc.bindAttempts).toBe(2);
    await provider.send(sms("still here"));
  });

  it("starts unbound when the SMSC is not there yet, and binds and sends once it is", async () => {
    // A port nobody listens on: an SMSC started and stopped again.
    const gone = await FakeSmsc.start(CREDENTIALS);
    const port = gone.port;
    await gone.close();

    const provider = await connect(gone, { port });
    expect(provider.bound).toBe(false);
    expect(await rejection(provider.send(sms("before the SMSC")))).toMatchObject({
      reason: "CONNECTION_LOST",
      retryable: true,
    });

    const smsc = await FakeSmsc.start(CREDENTIALS, { port });
    cleanups.push(() => smsc.close());
    await vi.waitFor(() => expect(provider.bound).toBe(true), { timeout: 5000 });
    const result = await provider.send(sms("once it is up"));
    expect(result.providerMessageIds).toEqual([smsc.submits[0]!.messageId]);
  });

  it("refuses a wrong password as a permanent bind error", async () => {
    const smsc = await startSmsc();
    const error = await rejection(connect(smsc, { password: "wrong" }));
    expect(error).toMatchObject({ reason: "BIND_REJECTED", retryable: false, providerCode: 0x0e });
    expect(smsc.boundSessions).toBe(0);
  });

  it("unbinds on close and refuses sends afterwards", async () => {
    const smsc = await startSmsc();
    const provider = await connect(smsc);
    await provider.send(sms("last one"));

    await provider.close();

    expect(smsc.unbinds).toBe(1);
    await vi.waitFor(() => expect(smsc.boundSessions).toBe(0));
    expect(await rejection(provider.send(sms("too late")))).toMatchObject({ reason: "PROVIDER_CLOSED" });
  });

  it("refuses a text longer than 255 parts without touching the SMSC", async () => {
    const smsc = await startSmsc();
    const provider = await connect(smsc);
    const error = await rejection(provider.send(sms("a".repeat(153 * 255 + 1))));
    expect(error).toMatchObject({ reason: "MESSAGE_TOO_LONG", retryable: false });
    expect(smsc.submits).toHaveLength(0);
  });
});
