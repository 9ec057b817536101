import pino from "pino";
import { describe, expect, it, onTestFinished } from "vitest";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import type { NotifyDb } from "../db.js";
import { newId } from "@omnihall/ids";
import { queueMessage, type MessagePolicy } from "../messages/queue-message.js";
import type { SmsProvider } from "../providers/index.js";
import { SMPP_STATUS } from "../providers/smpp-status.js";
import type { Recipient } from "../recipients/recipient.js";
import type { ReceivedSubmit } from "../providers/testing/fake-smsc.js";
import { connectSmpp, notifyTestDatabase, silentLogger, startFakeSmsc } from "../testing/sms-fixture.js";
import { waitFor } from "../testing/wait-for.js";
import { recordConsentChange } from "../consent/record-consent-change.js";
import { deliveryReportRecorder, recordDeliveryReports } from "./delivery-reports.js";
import { Dispatcher } from "./dispatcher.js";
import { inDoubtFoundSent, inDoubtResends } from "./notify-metrics.js";
import { QueueSignalListener } from "./queue-signal.js";
import { parseQuietHours } from "./quiet-hours.js";
import { SharedSendRate } from "./send-rate.js";

const policy: MessagePolicy = {
  senders: { service: "10086", marketing: "1068610086" },
  quietHours: parseQuietHours("00:00-00:00"),
};
const fastRetries = { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 50 };

function recipient(overrides: Partial<Recipient> = {}): Recipient {
  return {
    subscriberId: newId("sub"),
    msisdn: "13800138000",
    language: "zh-CN",
    timeZone: "Asia/Shanghai",
    active: true,
    ...overrides,
  };
}

async function queue(db: NotifyDb, text: string, options: { kind?: "SERVICE" | "MARKETING"; to?: Recipient } = {}) {
  const { message } = await db.$transaction((tx) =>
    queueMessage(
      tx,
      {
        dedupeKey: newId("msg"),
        requestHash: "",
        recipient: options.to ?? recipient(),
        kind: options.kind ?? "SERVICE",
        templateCode: "TEST",
        text,
        campaignId: options.kind === "MARKETING" ? "cmp_1" : "",
        channel: Channel.CHANNEL_SYSTEM,
      },
      policy,
    ),
  );
  return message;
}

function startDispatcher(
  db: NotifyDb,
  provider: SmsProvider,
  overrides: Partial<ConstructorParameters<typeof Dispatcher>[0]> = {},
) {
  const dispatcher = new Dispatcher({
    db,
    provider,
    quietHours: policy.quietHours,
    retryPolicy: fastRetries,
    pollIntervalMs: 20,
    logger: silentLogger,
    ...overrides,
  });
  dispatcher.start();
  onTestFinished(() => dispatcher.stop());
  return dispatcher;
}

/** omnihall_notify_in_doubt_resends_total (or found_sent) for one kind and cause, in this test process. */
async function inDoubtCount(kind: string, cause: string, metric = inDoubtResends): Promise<number> {
  const { values } = await metric.get();
  return values.find((value) => value.labels.kind === kind && value.labels.cause === cause)?.value ?? 0;
}

const messageById = (db: NotifyDb, id: string) =>
  db.message.findUniqueOrThrow({ where: { id }, include: { parts: { orderBy: { sequence: "asc" } } } });

describe("Dispatcher over a real SMPP link", () => {
  it("sends a long Chinese message as concatenated parts and settles it from the delivery receipts", async () => {
    const { db } = await notifyTestDatabase();
    const smsc = await startFakeSmsc();
    const provider = await connectSmpp(smsc);
    provider.onDeliveryReport(deliveryReportRecorder(db));
    const dispatcher = startDispatcher(db, provider);

    const text = "【Omnihall】" + "您的套餐流量已使用百分之八十。".repeat(6);
    const message = await queue(db, text);
    dispatcher.wake();
    const sent = await waitFor("the message to be sent", async () => {
      const row = await messageById(db, message.id);
      return row.status === "SENT" && row;
    });
    await dispatcher.stop();

    expect(smsc.submits).toHaveLength(2);
    expect(smsc.submits.map((submit) => submit.dataCoding)).toEqual([0x08, 0x08]);
    expect(
      smsc.submits.every((submit) => submit.sourceAddr === "10086" && submit.destinationAddr === "13800138000"),
    ).toBe(true);
    expect(sent.parts.map((part) => part.providerMessageId)).toEqual(smsc.submits.map((submit) => submit.messageId));
    expect(sent.attemptCount).toBe(1);

    await smsc.sendReceipt(smsc.submits[0]!);
    await waitFor("part 1 delivered", async () => (await messageById(db, message.id)).parts[0]!.status === "DELIVERED");
    expect((await messageById(db, message.id)).status).toBe("SENT");
    await smsc.sendReceipt(smsc.submits[1]!);
    const delivered = await waitFor("the message delivered", async () => {
      const row = await messageById(db, message.id);
      return row.status === "DELIVERED" && row;
    });
    expect(delivered.finishedAt).not.toBeNull();
  });

  it("fails a message when a part is undeliverable, keeping the network's error code", async () => {
    const { db } = await notifyTestDatabase();
    const smsc = await startFakeSmsc();
    const provider = await connectSmpp(smsc);
    provider.onDeliveryReport(deliveryReportRecorder(db));
    const dispatcher = startDispatcher(db, provider);
    const message = await queue(db, "Your code is 123456");
    await waitFor("the submit", () => smsc.submits.length === 1);
    await waitFor("SENT", async () => (await messageById(db, message.id)).status === "SENT");
    await dispatcher.stop();
    await smsc.sendReceipt(smsc.submits[0]!, { stat: "UNDELIV", err: "011" });
    const failed = await waitFor("FAILED", async () => {
      const row = await messageById(db, message.id);
      return row.status === "FAILED" && row;
    });
    expect(failed.parts[0]).toMatchObject({ status: "FAILED", errorCode: "UNDELIVERABLE:011" });
    expect(failed.lastError).toContain("UNDELIVERABLE:011");
  });

  it("applies a receipt that arrives before the part is stored", async () => {
    const { db } = await notifyTestDatabase();
    const smsc = await startFakeSmsc();
    smsc.holdResponses();
    const message = await queue(db, "hello");
    startDispatcher(db, await connectSmpp(smsc));
    const submit = await waitFor("the submit on the wire", () => smsc.submits[0]);
    // The receipt overtakes the submit response: it waits for its part, stored when the dispatcher records the answer.
    await recordDeliveryReports(db, [{ providerMessageId: submit.messageId, status: "DELIVERED" }]);
    expect(await db.deliveryReport.count()).toBe(1);
    smsc.releaseResponses();
    await waitFor("the message delivered", async () => (await messageById(db, message.id)).status === "DELIVERED");
    expect((await messageById(db, message.id)).parts.map((part) => part.status)).toEqual(["DELIVERED"]);
    expect(await db.deliveryReport.count()).toBe(0);
  });

  it("retries a throttled submit with backoff and fails a refused destination at once", async () => {
    const { db } = await notifyTestDatabase();
    const smsc = await startFakeSmsc();
    const provider = await connectSmpp(smsc);
    smsc.refuseNext(SMPP_STATUS.ESME_RTHROTTLED, 1);
    const dispatcher = startDispatcher(db, provider);
    const throttled = await queue(db, "retry me");
    const retried = await waitFor("the retry to go out", async () => {
      const row = await messageById(db, throttled.id);
      return row.status === "SENT" && row;
    });
    expect(retried.attemptCount).toBe(2);
    expect(smsc.submits.filter((submit) => submit.text === "retry me")).toHaveLength(1);

    smsc.refuseNext(SMPP_STATUS.ESME_RINVDSTADR, 1);
    const refused = await queue(db, "nobody there");
    const failed = await waitFor("the refusal", async () => {
      const row = await messageById(db, refused.id);
      return row.status === "FAILED" && row;
    });
    await dispatcher.stop();
    expect(failed.attemptCount).toBe(1);
    expect(failed.lastError).toMatch(/^INVALID_DESTINATION/);
  });

  it("gives up after the last attempt while the SMSC keeps refusing", async () => {
    const { db } = await notifyTestDatabase();
    const smsc = await startFakeSmsc();
    const provider = await connectSmpp(smsc);
    smsc.refuseNext(SMPP_STATUS.ESME_RMSGQFUL, 3);
    const dispatcher = startDispatcher(db, provider);
    const message = await queue(db, "never");
    const failed = await waitFor("FAILED", async () => {
      const row = await messageById(db, message.id);
      return row.status === "FAILED" && row;
    });
    await dispatcher.stop();
    expect(failed.attemptCount).toBe(3);
    expect(smsc.submits).toHaveLength(0);
  });

  it("lets two dispatchers share one queue without sending anything twice", async () => {
    const { db } = await notifyTestDatabase();
    const smsc = await startFakeSmsc();
    const [first, second] = [await connectSmpp(smsc), await connectSmpp(smsc)];
    const messages = [];
    for (let i = 0; i < 40; i++) messages.push(await queue(db, `message ${i}`));
    const dispatchers = [startDispatcher(db, first, { batchSize: 5 }), startDispatcher(db, second, { batchSize: 5 })];
    await waitFor("every message sent", async () => (await db.message.count({ where: { status: "SENT" } })) === 40);
    await Promise.all(dispatchers.map((dispatcher) => dispatcher.stop()));
    const texts = smsc.submits.map((submit) => submit.text).sort();
    expect(texts).toEqual(messages.map((message) => message.text).sort());
  });

  it("checks marketing consent again right before sending", async () => {
    const { db } = await notifyTestDatabase();
    const smsc = await startFakeSmsc();
    const provider = await connectSmpp(smsc);
    const to = recipient();
    const message = await queue(db, "big sale", { kind: "MARKETING", to });
    const dispatcher = startDispatcher(db, provider);
    const failed = await waitFor("FAILED", async () => {
      const row = await messageById(db, message.id);
      return row.status === "FAILED" && row;
    });
    await dispatcher.stop();
    expect(failed.lastError).toBe("MARKETING_CONSENT_MISSING");
    expect(failed.sender).toBe("1068610086");
    expect(smsc.submits).toHaveLength(0);
  });

  it("defers marketing that falls due inside quiet hours", async () => {
    const { db } = await notifyTestDatabase();
    const smsc = await startFakeSmsc();
    const provider = await connectSmpp(smsc);
    const to = recipient({ timeZone: "UTC" });
    await db.consentRecord.create({
      data: {
        id: newId("cns"),
        requestId: newId("cns"),
        requestHash: "",
        subscriberId: to.subscriberId,
        action: "GRANT",
        channel: 1,
        evidence: "test",
      },
    });
    const message = await queue(db, "night sale", { kind: "MARKETING", to });
    // Quiet from a minute ago until an hour from now, in UTC, whatever the time the test runs.
    const now = new Date();
    const hhmm = (date: Date) => date.toISOString().slice(11, 16);
    const quietHours = parseQuietHours(
      `${hhmm(new Date(now.getTime() - 60_000))}-${hhmm(new Date(now.getTime() + 3_600_000))}`,
    );
    const dispatcher = startDispatcher(db, provider, { quietHours });
    const deferred = await waitFor("DEFERRED", async () => {
      const row = await messageById(db, message.id);
      return row.status === "DEFERRED" && row;
    });
    await dispatcher.stop();
    expect(deferred.nextAttemptAt.getTime()).toBeGreaterThan(now.getTime() + 3_000_000);
    expect(smsc.submits).toHaveLength(0);
  });

  it("takes over the messages of a dispatcher that died mid-send once its claim runs out", async () => {
    const { db } = await notifyTestDatabase();
    const smsc = await startFakeSmsc();
    const provider = await connectSmpp(smsc);
    const message = await queue(db, "orphaned");
    // What a dispatcher that crashed after claiming leaves behind.
    await db.message.update({ where: { id: message.id }, data: { claimedUntil: new Date(Date.now() + 800) } });
    const dispatcher = startDispatcher(db, provider);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(smsc.submits).toHaveLength(0);
    await waitFor("the takeover", async () => (await messageById(db, message.id)).status === "SENT");
    await dispatcher.stop();
    expect(smsc.submits.map((submit) => submit.text)).toEqual(["orphaned"]);
  });

  it("stores no late answer, sent or failed, over a claim that ran out and is someone else's now", async () => {
    const { db } = await notifyTestDatabase();
    const smsc = await startFakeSmsc();
    smsc.holdResponses();
    smsc.refuseNext(SMPP_STATUS.ESME_RTHROTTLED);
    // One of the two is refused (retryable), the other accepted: neither answer may land.
    const [first, second] = [await queue(db, "late one"), await queue(db, "late two")];
    const warnings: string[] = [];
    const logger = pino({ level: "warn" }, { write: (line: string) => void warnings.push(line) });
    const dispatcher = startDispatcher(db, await connectSmpp(smsc), { rounds: 1, logger });
    await waitFor("both submits on the wire", () => smsc.heldResponses === 2);
    // Another dispatcher's claim, as if ours had run out and it had claimed both meanwhile.
    const theirs = new Date(Date.now() + 60_000);
    await db.message.updateMany({ where: { id: { in: [first.id, second.id] } }, data: { claimedUntil: theirs } });
    smsc.releaseResponses();
    await waitFor(
      "both answers told as not ours",
      () => warnings.filter((line) => line.includes("claim ran out")).length === 2,
    );
    await dispatcher.stop();
    for (const id of [first.id, second.id]) {
      const row = await messageById(db, id);
      expect(row).toMatchObject({ status: "QUEUED", attemptCount: 0, claimedUntil: theirs, lastError: "" });
      expect(row.parts).toEqual([]);
    }
  });

  it("records each answer as it comes, and after a crash resends only the messages left unanswered", async () => {
    const { db } = await notifyTestDatabase();
    const smsc = await startFakeSmsc();
    smsc.holdResponses();
    const answered = await queue(db, "answered");
    const unanswered = [await queue(db, "held 1"), await queue(db, "held 2")];
    // One round, so the three are one claimed batch.
    const crashing = startDispatcher(db, await connectSmpp(smsc), { rounds: 1, claimMs: 1_500 });
    await waitFor("the batch on the wire", () => smsc.submits.length === 3);

    smsc.releaseResponses((submit) => submit.text === "answered");
    const sent = await waitFor("the answered message recorded", async () => {
      const row = await messageById(db, answered.id);
      return row.status === "SENT" && row;
    });
    const firstSubmit = smsc.submits.find((submit) => submit.text === "answered")!;
    expect(sent.parts.map((part) => part.providerMessageId)).toEqual([firstSubmit.messageId]);
    // The rest of the batch is still on the wire, claimed and unrecorded.
    expect(smsc.heldResponses).toBe(2);
    for (const message of unanswered) {
      const row = await messageById(db, message.id);
      expect(row).toMatchObject({ status: "QUEUED", attemptCount: 0, parts: [] });
      expect(row.claimedUntil).not.toBeNull();
    }

    // The first dispatcher dies here: it claims nothing more and never hears the held answers. A second one takes
    // over once the claims run out and sends only the two unanswered messages, counted as in doubt.
    const stopped = crashing.stop();
    const inDoubtBefore = await inDoubtCount("SERVICE", "claim_lapsed");
    const firstSubmits = new Set(smsc.submits);
    const survivor = startDispatcher(db, await connectSmpp(smsc));
    await waitFor("the resends on the wire", () => smsc.submits.length === 5, 15_000);
    smsc.releaseResponses((submit) => !firstSubmits.has(submit));
    const resent = smsc.submits.filter((submit) => !firstSubmits.has(submit));
    expect(resent.map((submit) => submit.text).sort()).toEqual(["held 1", "held 2"]);
    for (const message of unanswered) {
      const row = await waitFor("the resend recorded", async () => {
        const row = await messageById(db, message.id);
        return row.status === "SENT" && row;
      });
      const resend = resent.find((submit) => submit.text === message.text)!;
      expect(row.parts.map((part) => part.providerMessageId)).toEqual([resend.messageId]);
    }
    expect(await inDoubtCount("SERVICE", "claim_lapsed")).toBe(inDoubtBefore + 2);

    // The dead dispatcher's answers, arriving after all, are fenced off by the claim it lost.
    smsc.releaseResponses();
    await stopped;
    await survivor.stop();
    for (const message of unanswered) {
      const row = await messageById(db, message.id);
      expect(row.attemptCount).toBe(1);
      expect(row.parts.map((part) => part.providerMessageId)).toEqual([
        resent.find((submit) => submit.text === message.text)!.messageId,
      ]);
    }
    expect(smsc.submits.filter((submit) => submit.text === "answered")).toHaveLength(1);
  });

  it("after a crash, records an in-doubt message as sent from its receipts instead of sending it again", async () => {
    const { db } = await notifyTestDatabase();
    const smsc = await startFakeSmsc();
    smsc.holdResponses();
    const long = "【Omnihall】" + "您本月的流量已用完，超出部分按标准资费计收。".repeat(4);
    const [receipted, unreceipted] = [await queue(db, long), await queue(db, "no receipt for me")];
    const crashed = await connectSmpp(smsc);
    crashed.onDeliveryReport(deliveryReportRecorder(db));
    const crashing = startDispatcher(db, crashed, { rounds: 1, claimMs: 1_500 });
    // A message's parts go one after another: part 2 follows part 1's answer, and stays unanswered.
    await waitFor("both messages on the wire", () => smsc.submits.length === 2);
    const isPart1 = (submit: ReceivedSubmit) => submit.text.startsWith("【Omnihall】");
    const [part1, other] = [smsc.submits.find(isPart1)!, smsc.submits.find((submit) => !isPart1(submit))!];
    smsc.releaseResponses((submit) => submit === part1);
    const part2 = await waitFor("part 2 on the wire", () => smsc.submits[2]);
    // Submits ask for receipts and carry one reference per message, the same on each part.
    expect(smsc.submits.every((submit) => submit.registeredDelivery === 1)).toBe(true);
    expect(part1.userMessageReference).toBeDefined();
    expect(part2.userMessageReference).toBe(part1.userMessageReference);
    expect(other.userMessageReference).not.toBe(part1.userMessageReference);

    // The dispatcher dies with all three unanswered; the network delivers the long one, whose receipts (one per
    // part) wait for parts nobody recorded.
    const stopped = crashing.stop();
    expect(await smsc.sendReceipt(part1)).toBe(SMPP_STATUS.ESME_ROK);
    expect(await smsc.sendReceipt(part2)).toBe(SMPP_STATUS.ESME_ROK);
    expect(await db.deliveryReport.count({ where: { recipient: "13800138000" } })).toBe(2);

    const resendsBefore = await inDoubtCount("SERVICE", "claim_lapsed");
    const foundBefore = await inDoubtCount("SERVICE", "claim_lapsed", inDoubtFoundSent);
    const firstSubmits = new Set(smsc.submits);
    const survivor = startDispatcher(db, await connectSmpp(smsc), { orphanReceiptAgeMs: 0 });
    await waitFor("the message without a receipt sent again", () => smsc.submits.length === 4, 15_000);
    smsc.releaseResponses((submit) => !firstSubmits.has(submit));
    const delivered = await waitFor("the receipted message delivered from its receipts", async () => {
      const row = await messageById(db, receipted.id);
      return row.status === "DELIVERED" && row;
    });
    expect(delivered.parts.map((part) => [part.providerMessageId, part.status])).toEqual([
      [part1.messageId, "DELIVERED"],
      [part2.messageId, "DELIVERED"],
    ]);
    expect(smsc.submits.filter((submit) => submit.text === part1.text)).toHaveLength(1);
    expect(smsc.submits.at(-1)!.text).toBe("no receipt for me");
    await waitFor("the resend recorded", async () => (await messageById(db, unreceipted.id)).status === "SENT");
    expect(await db.deliveryReport.count()).toBe(0);
    expect(await inDoubtCount("SERVICE", "claim_lapsed", inDoubtFoundSent)).toBe(foundBefore + 1);
    expect(await inDoubtCount("SERVICE", "claim_lapsed")).toBe(resendsBefore + 1);

    smsc.releaseResponses();
    await stopped;
    await survivor.stop();
    expect((await messageById(db, receipted.id)).status).toBe("DELIVERED");
  });

  it("does not take a receipt still young enough to be waiting for its own message's answer", async () => {
    const { db } = await notifyTestDatabase();
    const smsc = await startFakeSmsc();
    const provider = await connectSmpp(smsc);
    const message = await queue(db, "in doubt");
    // What a crash leaves: a lapsed claim; and a receipt with the same trace that arrived a moment ago.
    await db.message.update({ where: { id: message.id }, data: { claimedUntil: new Date(Date.now() - 1_000) } });
    const trace = provider.receiptTrace({ messageId: message.id, from: "10086", to: message.msisdn, text: "in doubt" });
    await recordDeliveryReports(db, [{ providerMessageId: "young", status: "DELIVERED", trace: trace.trace }]);
    const dispatcher = startDispatcher(db, provider, { orphanReceiptAgeMs: 60_000 });
    await waitFor("the resend", async () => (await messageById(db, message.id)).status === "SENT");
    await dispatcher.stop();
    expect(smsc.submits.map((submit) => submit.text)).toEqual(["in doubt"]);
    expect(await db.deliveryReport.findMany({ select: { providerMessageId: true } })).toEqual([
      { providerMessageId: "young" },
    ]);
  });

  it("records an answer that came while the database had no connection to give, once it has one", async () => {
    const { db } = await notifyTestDatabase(2);
    const smsc = await startFakeSmsc();
    smsc.holdResponses();
    const message = await queue(db, "patience");
    const warnings: string[] = [];
    const logger = pino({ level: "warn" }, { write: (line: string) => void warnings.push(line) });
    // One round: it waits for its answer, so nothing else of the dispatcher's wants a connection meanwhile.
    const dispatcher = startDispatcher(db, await connectSmpp(smsc), { rounds: 1, logger });
    await waitFor("the submit on the wire", () => smsc.submits.length === 1);

    // Both pooled connections busy when the answer comes: the record cannot start its transaction.
    let taken = 0;
    let free!: () => void;
    const busy = new Promise<void>((resolve) => (free = resolve));
    onTestFinished(() => free());
    const holders = [1, 2].map(() =>
      db.$transaction(
        async () => {
          taken += 1;
          await busy;
        },
        { timeout: 60_000 },
      ),
    );
    await waitFor("the pool taken", () => taken === 2);
    smsc.releaseResponses();
    await waitFor("a failed record", () => warnings.some((line) => line.includes("could not record")));
    free();
    await Promise.all(holders);
    const sent = await waitFor("the answer recorded", async () => {
      const row = await messageById(db, message.id);
      return row.status === "SENT" && row;
    });
    await dispatcher.stop();
    expect(sent.parts.map((part) => part.providerMessageId)).toEqual([smsc.submits[0]!.messageId]);
    expect(smsc.submits).toHaveLength(1);
  });

  it("still counts a message as in doubt after the shared rate made a round give it back", async () => {
    const { db } = await notifyTestDatabase();
    const smsc = await startFakeSmsc();
    const messages = [await queue(db, "orphan 1"), await queue(db, "orphan 2"), await queue(db, "orphan 3")];
    // What a dispatcher killed between submitting and recording leaves behind: claims that have run out.
    await db.message.updateMany({ data: { claimedUntil: new Date(Date.now() - 1_000) } });
    const inDoubtBefore = await inDoubtCount("SERVICE", "claim_lapsed");
    // One token at a time: each round claims all three, sends one and releases the other two.
    const sendRate = new SharedSendRate(db, {
      name: newId("rate"),
      ratePerSecond: 20,
      capacity: 1,
      marketingReserve: 0,
    });
    const dispatcher = startDispatcher(db, await connectSmpp(smsc), { sendRate, rounds: 1 });
    await waitFor(
      "all three sent",
      async () =>
        (await db.message.count({ where: { id: { in: messages.map(({ id }) => id) }, status: "SENT" } })) === 3,
    );
    await dispatcher.stop();
    expect(smsc.submits).toHaveLength(3);
    expect(await inDoubtCount("SERVICE", "claim_lapsed")).toBe(inDoubtBefore + 3);
  });

  it("makes an opt-out wait for a marketing SMS already on its way, so none follows it", async () => {
    const { db } = await notifyTestDatabase();
    const smsc = await startFakeSmsc();
    const provider = await connectSmpp(smsc);
    const to = recipient();
    const consent = { subscriberId: to.subscriberId, channel: Channel.CHANNEL_WEB_HALL, evidence: "form" };
    await recordConsentChange(db, { ...consent, requestId: newId("req"), action: "GRANT" });
    smsc.holdResponses();
    const message = await queue(db, "flash sale", { kind: "MARKETING", to });
    const dispatcher = startDispatcher(db, provider);
    await waitFor("the submit on the wire", () => smsc.submits.length === 1);

    // The SMSC holds the answer: no session of the service is in a transaction meanwhile.
    const sessions = await db.$queryRaw<Array<{ state: string }>>`
      SELECT state FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`;
    expect(sessions.filter((session) => session.state.startsWith("idle in transaction"))).toEqual([]);

    let optedOutAt = 0;
    const optOut = recordConsentChange(db, { ...consent, requestId: newId("req"), action: "OPT_OUT" }).then(() => {
      optedOutAt = performance.now();
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(optedOutAt).toBe(0);
    const releasedAt = performance.now();
    smsc.releaseResponses();
    await optOut;
    expect(optedOutAt).toBeGreaterThanOrEqual(releasedAt);
    expect((await messageById(db, message.id)).status).toBe("SENT");

    const later = await queue(db, "another sale", { kind: "MARKETING", to });
    const blocked = await waitFor("the block", async () => {
      const row = await messageById(db, later.id);
      return row.status === "FAILED" && row;
    });
    await dispatcher.stop();
    expect(blocked.lastError).toBe("MARKETING_OPTED_OUT");
    expect(smsc.submits).toHaveLength(1);
  });

  it("wakes on the commit of a queued message instead of waiting for the next poll", async () => {
    const { url, db } = await notifyTestDatabase();
    const smsc = await startFakeSmsc();
    const provider = await connectSmpp(smsc);
    const dispatcher = startDispatcher(db, provider, { pollIntervalMs: 60_000 });
    const signals = await QueueSignalListener.start(url, () => dispatcher.wake(), silentLogger);
    onTestFinished(() => signals.stop());
    // Let the first (empty) round end, so the dispatcher is resting on its long poll.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const message = await queue(db, "wake up");
    await waitFor("the send", async () => (await messageById(db, message.id)).status === "SENT", 5_000);
  });

  it("keeps service messages flowing through a campaign on a small connection pool", async () => {
    const { db } = await notifyTestDatabase(3);
    const smsc = await startFakeSmsc();
    const provider = await connectSmpp(smsc);
    const audience = Array.from({ length: 12 }, () => recipient());
    for (const to of audience) {
      await recordConsentChange(db, {
        requestId: newId("req"),
        subscriberId: to.subscriberId,
        action: "GRANT",
        channel: Channel.CHANNEL_WEB_HALL,
        evidence: "form",
      });
      await queue(db, `campaign ${to.subscriberId}`, { kind: "MARKETING", to });
    }
    for (let i = 0; i < 6; i++) await queue(db, `service ${i}`);
    const dispatcher = startDispatcher(db, provider, { marketingConcurrency: 2 });
    await waitFor("everything sent", async () => (await db.message.count({ where: { status: "SENT" } })) === 18);
    await dispatcher.stop();
    expect(smsc.submits).toHaveLength(18);
  });
});
