import { newId } from "@omnihall/ids";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import { scrapeMetrics } from "@omnihall/telemetry";
import { describe, expect, it, onTestFinished } from "vitest";
import type { NotifyDb } from "../db.js";
import { queueMessage } from "../messages/queue-message.js";
import { connectSmpp, notifyTestDatabase, silentLogger, startFakeSmsc } from "../testing/sms-fixture.js";
import { waitFor } from "../testing/wait-for.js";
import { Dispatcher } from "./dispatcher.js";
import { parseQuietHours } from "./quiet-hours.js";

const quietHours = parseQuietHours("00:00-00:00");

function queueServiceMessage(db: NotifyDb) {
  return db.$transaction((tx) =>
    queueMessage(
      tx,
      {
        dedupeKey: newId("msg"),
        requestHash: "",
        recipient: {
          subscriberId: newId("sub"),
          msisdn: "13800138000",
          language: "zh-CN",
          timeZone: "Asia/Shanghai",
          active: true,
        },
        kind: "SERVICE",
        templateCode: "TEST",
        text: "您的话费余额为 12.00 元。",
        campaignId: "",
        channel: Channel.CHANNEL_SYSTEM,
      },
      { senders: { service: "10086", marketing: "1068610086" }, quietHours },
    ),
  );
}

/** The value of one series in a scrape (undefined when absent). */
function valueOf(text: string, series: string): number | undefined {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("notify metrics", () => {
  it("report the send queue's depth by kind and the SMSC window in use", async () => {
    const { db } = await notifyTestDatabase();
    const smsc = await startFakeSmsc();
    const provider = await connectSmpp(smsc);
    const smscLabel = `smsc="127.0.0.1:${smsc.port}"`;
    smsc.holdResponses();
    for (let i = 0; i < 3; i += 1) await queueServiceMessage(db);

    const dispatcher = new Dispatcher({
      db,
      provider,
      quietHours,
      retryPolicy: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 50 },
      pollIntervalMs: 20,
      logger: silentLogger,
    });
    dispatcher.start();
    onTestFinished(() => dispatcher.stop());

    // The SMSC holds its answers: three submits on the wire, three messages still waiting to be sent.
    const held = await waitFor("three submits on the wire", async () => {
      const text = await scrapeMetrics();
      return valueOf(text, `omnihall_sms_window_in_use{${smscLabel}}`) === 3 && text;
    });
    expect(valueOf(held, `omnihall_sms_window_size{${smscLabel}}`)).toBe(20);
    expect(valueOf(held, `omnihall_notify_queue_depth{kind="SERVICE",status="QUEUED"}`)).toBe(3);
    expect(valueOf(held, `omnihall_notify_queue_depth{kind="MARKETING",status="QUEUED"}`)).toBe(0);

    smsc.releaseResponses();
    await waitFor("the queue emptied and the window free", async () => {
      const text = await scrapeMetrics();
      return (
        valueOf(text, `omnihall_notify_queue_depth{kind="SERVICE",status="QUEUED"}`) === 0 &&
        valueOf(text, `omnihall_sms_window_in_use{${smscLabel}}`) === 0
      );
    });

    await dispatcher.stop();
    await provider.close();
    const after = await scrapeMetrics();
    expect(after).not.toContain(`omnihall_sms_window_in_use{${smscLabel}}`);
    expect(after).not.toContain("omnihall_notify_queue_depth{");
  });
});
