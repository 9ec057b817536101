import { describe, expect, it } from "vitest";
import { demoSubscribers } from "@omnihall/demo-data";
import { newId } from "@omnihall/ids";
import { developmentSealingKeys, generateSealingKeyPair, seal } from "@omnihall/sealed-box";
import { uniqueSuffix, waitFor } from "@omnihall/testkit";
import { AllowanceRecurrence, AllowanceUnit } from "@omnihall/proto/omnihall/catalog/v1/allowance";
import { Channel } from "@omnihall/proto/omnihall/common/v1/common";
import type { QuotaThresholdCrossedEvent } from "@omnihall/proto/omnihall/usage/v1/events";
import {
  ConfirmationMethod,
  InstallationMilestone,
  OrderState,
  Order,
} from "@omnihall/proto/omnihall/orders/v1/orders";
import type { FakeSmsc } from "../providers/testing/fake-smsc.js";
import { startNotifyStack } from "../testing/notify-stack.js";
import {
  InstallationProgressed,
  LoginCodeIssued,
  OrderStateChanged,
  QuotaThresholdCrossed,
  RoamingEntered,
} from "./notify-events.js";

const [chinese, , , , , , , english] = demoSubscribers(8);
const NOTIFY_KEYS = developmentSealingKeys("notify");
/** A code's expiry five minutes on, unique to the millisecond per call (it is part of the message's identity). */
let lastExpiry = 0;
function inFiveMinutes(): Date {
  lastExpiry = Math.max(Date.now() + 5 * 60_000, lastExpiry + 1);
  return new Date(lastExpiry);
}
const GB = 1024n * 1024n;

function thresholdEvent(subscriberId: string, label: string): QuotaThresholdCrossedEvent {
  return {
    subscriberId,
    bucket: {
      bucketId: newId("bkt"),
      productId: newId("prd"),
      offeringCode: "DATA_PACK",
      offeringName: { zhCn: label, en: label },
      unit: AllowanceUnit.ALLOWANCE_UNIT_DATA_KB,
      recurrence: AllowanceRecurrence.ALLOWANCE_RECURRENCE_ONCE,
      roamingCountryCode: "",
      quota: 30n * GB,
      used: 24n * GB,
      remaining: 6n * GB,
      periodStartTime: new Date(),
      periodEndTime: undefined,
      trial: false,
    },
    thresholdPercent: 80,
    usedPercent: 80,
    crossTime: new Date(),
  };
}

/** The SMS the SMSC took whose text contains `marker`, however many parts each had. */
const submitsWith = (smsc: FakeSmsc, marker: string) => smsc.submits.filter((submit) => submit.text.includes(marker));

function order(overrides: Partial<Order>): Order {
  return Order.fromPartial({
    orderId: newId("ord"),
    subscriberId: english!.subscriberId,
    offeringCode: "BB_300M",
    offeringName: { zhCn: "300M 宽带", en: "300M Broadband" },
    priceFen: 9900n,
    channel: Channel.CHANNEL_WEB_HALL,
    agentId: "",
    campaignId: "",
    state: OrderState.ORDER_STATE_COMPLETED,
    confirmationMethod: ConfirmationMethod.CONFIRMATION_METHOD_SESSION,
    confirmExpireTime: undefined,
    number: "",
    characteristics: {},
    installation: { address: "1 Test Road", appointmentTime: new Date("2026-11-25T06:00:00Z"), contactMsisdn: "" },
    ...overrides,
  });
}

describe("events become service messages", () => {
  it("texts a quota reminder in each subscriber's language, once, though the event arrives three times", async () => {
    const { smsc, publish, settled } = await startNotifyStack();
    const marker = `P${uniqueSuffix()}`;
    const forChinese = thresholdEvent(chinese!.subscriberId, marker);
    const forEnglish = thresholdEvent(english!.subscriberId, marker);
    const outboxId = newId("evt");
    await publish(QuotaThresholdCrossed, forChinese, outboxId);
    await publish(QuotaThresholdCrossed, forChinese, outboxId); // the relay republishing: the stream drops it
    await publish(QuotaThresholdCrossed, forChinese); // the producer publishing the fact twice: the dedupe key holds
    await publish(QuotaThresholdCrossed, forEnglish);

    await waitFor("both reminders", () => submitsWith(smsc, marker).length >= 2);
    // Every event handled and every message sent: a duplicate would be at the SMSC by now.
    await settled();
    const sent = submitsWith(smsc, marker);
    expect(sent).toHaveLength(2);
    const zh = sent.find((submit) => submit.destinationAddr === chinese!.msisdn)!;
    const en = sent.find((submit) => submit.destinationAddr === english!.msisdn)!;
    expect(zh.text).toBe(`【Omnihall】您的${marker}流量已使用80%（已用24GB，共30GB）。`);
    expect(zh.dataCoding).toBe(0x08);
    expect(en.text).toBe(`[Omnihall] You have used 80% of your ${marker} data (24GB of 30GB).`);
    expect(en.dataCoding).toBe(0x00);
    expect(sent.every((submit) => submit.sourceAddr === "10086")).toBe(true);
  });

  it("loses and repeats no reminder when the service restarts mid-stream", async () => {
    // Events the stopped instance had fetched but not started come back after the ack wait: keep it short here.
    const { smsc, publish, notify, startNotify, settled } = await startNotifyStack({
      SMPP_RATE: "25",
      EVENT_ACK_WAIT_MS: "2000",
      // Small rounds, so the stop (which finishes the round in progress) comes before the queue is empty.
      DISPATCH_BATCH_SIZE: "3",
    });
    const marker = `R${uniqueSuffix()}`;
    const labels = Array.from({ length: 40 }, (_, i) => `${marker}-${String(i).padStart(2, "0")}`);
    for (const label of labels.slice(0, 30))
      await publish(QuotaThresholdCrossed, thresholdEvent(chinese!.subscriberId, label));

    await waitFor("the first reminders to go out", () => submitsWith(smsc, marker).length >= 5);
    await notify.stop();
    const sentBeforeRestart = submitsWith(smsc, marker).length;
    expect(sentBeforeRestart).toBeLessThan(30);
    // Events keep coming while the service is down; they wait in the stream.
    for (const label of labels.slice(30))
      await publish(QuotaThresholdCrossed, thresholdEvent(chinese!.subscriberId, label));
    await startNotify();

    await waitFor("every reminder", () => submitsWith(smsc, marker).length >= 40, { timeoutMs: 20_000 });
    // Redeliveries of what the stopped instance had fetched included: a repeat would be at the SMSC by now.
    await settled();
    const texts = submitsWith(smsc, marker).map((submit) => /R[0-9a-f]+-\d\d/.exec(submit.text)![0]);
    expect(texts.sort()).toEqual(labels);
  });

  it("texts a login code straight from the event, and not a code that expired on the way", async () => {
    const { smsc, publish, db } = await startNotifyStack();
    const base = {
      subscriberId: english!.subscriberId,
      msisdn: english!.msisdn,
      code: "",
      channel: Channel.CHANNEL_WEB_HALL,
      languageCode: "en",
    };
    const sealed = (code: string) =>
      Buffer.from(seal(NOTIFY_KEYS.publicKey, code, `customer.login_code.issued:${english!.msisdn}`));
    const late = new Date(Date.now() - 1000);
    await publish(LoginCodeIssued, { ...base, sealedCode: sealed("000001"), expireTime: late });
    await publish(LoginCodeIssued, { ...base, sealedCode: sealed("739104"), expireTime: inFiveMinutes() });
    const [sent] = await waitFor(
      "the code",
      () => submitsWith(smsc, "739104").length === 1 && submitsWith(smsc, "739104"),
    );
    expect(sent!.text).toBe(
      "[Omnihall] Your login code is 739104. It expires in 5 minutes. Never share it with anyone.",
    );
    expect(sent!.destinationAddr).toBe(english!.msisdn);
    expect(submitsWith(smsc, "000001")).toHaveLength(0);
    // Not even queued (other tests' login codes may arrive here too, so look for this one).
    expect(await db.message.count({ where: { dedupeKey: { contains: late.toISOString() } } })).toBe(0);
  });

  it("texts a code from an event published before codes were sealed, and drops one sealed to another key", async () => {
    const { smsc, publish, db } = await startNotifyStack();
    const base = {
      subscriberId: chinese!.subscriberId,
      msisdn: chinese!.msisdn,
      channel: Channel.CHANNEL_WEB_HALL,
      languageCode: "zh-CN",
    };
    const otherKey = generateSealingKeyPair().publicKey;
    const forOtherKey = Buffer.from(seal(otherKey, "271828", `customer.login_code.issued:${chinese!.msisdn}`));
    const wrongKeyExpiry = inFiveMinutes();
    await publish(LoginCodeIssued, { ...base, code: "", sealedCode: forOtherKey, expireTime: wrongKeyExpiry });
    await publish(LoginCodeIssued, {
      ...base,
      code: "314159",
      sealedCode: Buffer.alloc(0),
      expireTime: inFiveMinutes(),
    });

    const [sent] = await waitFor(
      "the code",
      () => submitsWith(smsc, "314159").length === 1 && submitsWith(smsc, "314159"),
    );
    expect(sent!.text).toContain("您的登录验证码为314159");
    expect(submitsWith(smsc, "271828")).toHaveLength(0);
    expect(await db.message.count({ where: { dedupeKey: { contains: wrongKeyExpiry.toISOString() } } })).toBe(0);
  });

  it("tells order progress and broadband milestones, and welcomes a roamer with the catalog's rates", async () => {
    const { smsc, publish } = await startNotifyStack();
    const completed = order({ state: OrderState.ORDER_STATE_COMPLETED });
    const completedEvent = OrderStateChanged.find((event) => event.subject === "orders.order.completed")!;
    await publish(completedEvent, { order: completed, fromState: OrderState.ORDER_STATE_IN_PROGRESS, reason: "" });
    const held = order({ state: OrderState.ORDER_STATE_HELD });
    await publish(InstallationProgressed, {
      order: held,
      progress: { milestone: InstallationMilestone.INSTALLATION_MILESTONE_SCHEDULED, time: new Date() },
    });
    await publish(RoamingEntered, {
      subscriberId: chinese!.subscriberId,
      countryCode: "JP",
      firstUsageTime: new Date(),
      buckets: [],
    });

    const [done] = await waitFor(
      "the completion",
      () => submitsWith(smsc, completed.orderId).length && submitsWith(smsc, completed.orderId),
    );
    expect(done!.text).toBe(`[Omnihall] 300M Broadband is now active (order ${completed.orderId}).`);
    const [visit] = await waitFor(
      "the visit",
      () => submitsWith(smsc, held.orderId).length && submitsWith(smsc, held.orderId),
    );
    expect(visit!.text).toContain("is booked for 25 Nov 2026, 14:00");
    const [welcome] = await waitFor(
      "the welcome",
      () => submitsWith(smsc, "欢迎来到日本").length && submitsWith(smsc, "欢迎来到日本"),
    );
    expect(welcome!.text).toContain("流量0.29元/MB");
    expect(welcome!.destinationAddr).toBe(chinese!.msisdn);
  });
});
