import { randomUUID } from "node:crypto";
import { demoSubscribers } from "@omnihall/demo-data";
import { Payment, PaymentMethod } from "@omnihall/proto/omnihall/billing/v1/billing";
import { PaymentSucceededEvent } from "@omnihall/proto/omnihall/billing/v1/events";
import { ListMessagesRequest, MessageKind } from "@omnihall/proto/omnihall/notify/v1/notify";
import { describe, expect, it } from "vitest";
import { miniHallPlatform, SHENZHEN } from "./testing/mini-platform.js";
import { openingBody } from "./testing/openings.js";

// The first demo subscriber lives in Shenzhen, the demo agent's city; the 22nd in Guangzhou.
const [shenzhener] = demoSubscribers(1);
const card = (pan: string) => ({ pan, expiry: "2912", pinBlock: "0412AC89EFB3C2D1", terminalId: "T0000001" });

describe("mini hall payments (always online, never queued)", () => {
  it("charges a card once per key, says why a card is declined, and counts cash note by note once", async () => {
    const platform = await miniHallPlatform({ payments: true });
    const auth = { authorization: `Bearer ${await platform.logIn()}` };
    const pay = (key: string, body: Record<string, unknown>) =>
      platform.call("POST", "/v1/payments", body, { ...auth, "idempotency-key": key });
    const subscriberId = shenzhener!.subscriberId;

    const key = randomUUID();
    const sale = { subscriberId, amountFen: 5000, method: "BANK_CARD", card: card("6222020200112233445") };
    const first = await pay(key, sale);
    expect(first.status).toBe(201);
    expect(first.body.payment).toMatchObject({ status: "SUCCEEDED", amountFen: 5000, method: "BANK_CARD" });
    // The handheld resends after a lost answer: the same payment, the acquirer charged once.
    const again = await pay(key, sale);
    expect(again.body.payment.paymentId).toBe(first.body.payment.paymentId);
    expect(platform.gateways!.acquirer.charged()).toBe(5000n);

    const declined = await pay(randomUUID(), { ...sale, amountFen: 1000, card: card("6222020200110051") });
    expect(declined.body.payment).toMatchObject({ status: "FAILED", failureReason: "CARD_INSUFFICIENT_FUNDS" });
    expect(declined.body.payment.failureMessages["zh-CN"]).toBe("卡内余额不足。");

    const cashKey = randomUUID();
    const cash = { subscriberId, amountFen: 15000, method: "CASH", notesFen: [10000, 5000] };
    const counted = await pay(cashKey, cash);
    expect(counted.body.payment).toMatchObject({ status: "SUCCEEDED", amountFen: 15000 });
    const balanceAfterCash = counted.body.payment.balanceAfterFen as number;
    const replayed = await pay(cashKey, cash);
    expect(replayed.body.payment).toMatchObject({
      paymentId: counted.body.payment.paymentId,
      balanceAfterFen: balanceAfterCash,
    });

    const noKey = await platform.call("POST", "/v1/payments", sale, auth);
    expect(noKey.body.error.reason).toBe("IDEMPOTENCY_KEY_REQUIRED");

    // A subscriber just opened on the spot pays at once: billing opened their account from the opening's event.
    const { numbers } = (await platform.call("GET", "/v1/numbers?pageSize=1", undefined, auth)).body;
    const opened = await platform.call("POST", "/v1/account-openings", openingBody(numbers[0].msisdn), {
      ...auth,
      "idempotency-key": randomUUID(),
    });
    const newcomer = opened.body.accountOpening.subscriberId as string;
    const firstTopUp = { subscriberId: newcomer, amountFen: 5000, method: "CASH", notesFen: [5000] };
    const topUpKey = randomUUID();
    await expect
      .poll(async () => (await pay(topUpKey, firstTopUp)).body.payment?.status, { timeout: 15_000 })
      .toBe("SUCCEEDED");
    expect((await pay(topUpKey, firstTopUp)).body.payment.balanceAfterFen).toBe(5000);
  }, 120_000);
});

describe("mini hall payment receipts (a service text from notify, on billing's event)", () => {
  it("texts the subscriber one receipt per payment taken in person, cash and card, however often the event comes", async () => {
    const platform = await miniHallPlatform({ payments: true, notify: true });
    const auth = { authorization: `Bearer ${await platform.logIn()}` };
    const pay = (body: Record<string, unknown>) =>
      platform.call("POST", "/v1/payments", body, { ...auth, "idempotency-key": randomUUID() });
    const subscriberId = shenzhener!.subscriberId;

    const cash = await pay({ subscriberId, amountFen: 12600, method: "CASH", notesFen: [10000, 2000, 500, 100] });
    const sale = await pay({ subscriberId, amountFen: 5000, method: "BANK_CARD", card: card("6222020200112233445") });
    const declined = await pay({ subscriberId, amountFen: 1000, method: "BANK_CARD", card: card("6222020200110051") });
    expect([cash.body.payment.status, sale.body.payment.status, declined.body.payment.status]).toEqual([
      "SUCCEEDED",
      "SUCCEEDED",
      "FAILED",
    ]);
    expect(cash.body.payment.receiptBySms).toBe(true);
    expect(declined.body.payment.receiptBySms).toBe(false);

    const notify = platform.notify!;
    const receipts = async () =>
      (
        await notify.client.listMessages(ListMessagesRequest.fromPartial({ subscriberId, pageSize: 100 }))
      ).messages.filter((message) => message.templateCode === "PAYMENT_RECEIPT");
    // Both receipts reach the SMSC (status SENT or DELIVERED), as service messages.
    await expect
      .poll(async () => (await receipts()).filter((m) => m.sendTime !== undefined).length, { timeout: 20_000 })
      .toBe(2);
    const [cashReceipt] = (await receipts()).filter((m) => m.text.includes(cash.body.payment.paymentId));
    expect(cashReceipt).toMatchObject({ kind: MessageKind.MESSAGE_KIND_SERVICE, msisdn: shenzhener!.msisdn });
    expect(cashReceipt!.text).toContain("126.00元");
    expect(cashReceipt!.text).toContain("现金");
    expect(cashReceipt!.text).toContain(SHENZHEN.id);
    expect(cashReceipt!.text).not.toContain("退订");
    const cardReceipt = (await receipts()).find((m) => m.text.includes(sale.body.payment.paymentId));
    expect(cardReceipt!.text).toContain("50.00元");
    expect(cardReceipt!.text).toContain("银行卡");

    // billing.payment.succeeded published again (a relay that resent it, a replayed stream): still one receipt.
    await platform.bus.publish(
      "billing.payment.succeeded",
      PaymentSucceededEvent.encode({
        payment: {
          ...Payment.fromPartial({ paymentId: cash.body.payment.paymentId, subscriberId, amountFen: 12600n }),
          paymentMethod: PaymentMethod.PAYMENT_METHOD_CASH,
          takenBy: { agentId: SHENZHEN.id, deviceId: SHENZHEN.handheldId },
          successTime: new Date(),
        },
      }).finish(),
      { msgId: `evt_replay_${randomUUID()}` },
    );
    // A marker event behind it: once its receipt is queued, the replay ahead of it was consumed.
    await platform.bus.publish(
      "billing.payment.succeeded",
      PaymentSucceededEvent.encode({
        payment: {
          ...Payment.fromPartial({ paymentId: "pay_marker", subscriberId, amountFen: 1n }),
          paymentMethod: PaymentMethod.PAYMENT_METHOD_CASH,
          takenBy: { agentId: SHENZHEN.id, deviceId: SHENZHEN.handheldId },
        },
      }).finish(),
      { msgId: `evt_marker_${randomUUID()}` },
    );
    await expect.poll(async () => (await receipts()).length, { timeout: 20_000 }).toBe(3);
    const perPayment = (await receipts()).filter((m) => m.text.includes(cash.body.payment.paymentId));
    expect(perPayment).toHaveLength(1);
  }, 120_000);
});
