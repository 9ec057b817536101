import pino from "pino";
import { FakeIsmg } from "@omnihall/sms-link/testing";
import { afterEach, describe, expect, it } from "vitest";
import { CmppSmsProvider } from "./cmpp-provider.js";
import type { DeliveryReport } from "./provider.js";

const credentials = { sourceAddr: "901234", sharedSecret: "s3cret" };
const cleanup: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const step of cleanup.splice(0).reverse()) await step();
});

describe("CmppSmsProvider against a CMPP 3.0 gateway", () => {
  it("sends a long text from its sender number and turns status reports into delivery reports", async () => {
    const ismg = await FakeIsmg.start(credentials);
    cleanup.push(() => ismg.close());
    const provider = await CmppSmsProvider.connect({
      host: "127.0.0.1",
      port: ismg.port,
      ...credentials,
      serviceId: "OMNIHALL",
      logger: pino({ level: "silent" }),
    });
    cleanup.push(() => provider.close());
    const reports: DeliveryReport[] = [];
    provider.onDeliveryReport((report) => void reports.push(report));

    const text = "【Omnihall】您的账户余额为12.34元，".repeat(5);
    const sent = await provider.send({ messageId: "msg_1", from: "10086", to: "13800138000", text });
    expect(sent.parts).toBe(ismg.submits.length);
    expect(ismg.submits.every((s) => s.srcId === "10086")).toBe(true);
    expect(ismg.submits.map((s) => s.text).join("")).toBe(text);

    expect(await ismg.sendReport(ismg.submits[0]!, "DELIVRD")).toBe(0);
    expect(await ismg.sendReport(ismg.submits[1]!, "UNDELIV")).toBe(0);
    expect(reports).toEqual([
      { providerMessageId: sent.providerMessageIds[0], status: "DELIVERED" },
      { providerMessageId: sent.providerMessageIds[1], status: "UNDELIVERABLE", errorCode: "UNDELIV" },
    ]);
  });
});
