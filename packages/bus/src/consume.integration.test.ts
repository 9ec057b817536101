import { setTimeout as sleep } from "node:timers/promises";
import { ChargeCompletedEvent, PaymentCompletedEvent } from "@omnihall/proto/omnihall/billing/v1/events";
import { uniqueSuffix } from "@omnihall/testkit";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { consume, isEvent } from "./consume.js";
import { defineEvent } from "./event.js";
import { REQUEST_ID_HEADER, type EventBus } from "./event-bus.js";
import { InProcessBus } from "./in-process-bus.js";
import { captureLogger } from "./testing/capture-logger.js";
import { testJetStreamBus } from "./testing/jetstream.js";
import { paymentsFixture } from "./testing/payments.js";

const until = (check: () => void | Promise<void>, timeout = 10_000) => vi.waitFor(check, { timeout, interval: 25 });
const encodePayment = (paymentId: string, amountFen: bigint) =>
  PaymentCompletedEvent.encode(PaymentCompletedEvent.fromPartial({ payment: { paymentId, amountFen } })).finish();

describe.each<[string, (domains: string[]) => Promise<EventBus>]>([
  ["JetStreamBus", (domains) => testJetStreamBus(domains)],
  [
    "InProcessBus",
    async () => {
      const bus = new InProcessBus({ logger: captureLogger() });
      onTestFinished(() => bus.close());
      return bus;
    },
  ],
])("consume over %s", (_name, openBus) => {
  it("rolls back a failed handler's side effect and retries after the backoff until it succeeds", async () => {
    const payments = await paymentsFixture();
    const bus = await openBus([payments.domain]);
    const log = captureLogger();
    const attemptsAt: number[] = [];
    const consumer = await consume(bus, {
      durable: "ledger--credit-payments",
      events: [payments.PaymentCompleted],
      db: payments.db,
      logger: log,
      retry: { initialMs: 200, maxMs: 400 },
      handler: async (event, context) => {
        attemptsAt.push(Date.now());
        await payments.credit(event, context);
        if (context.deliveryCount < 3) throw new Error("ledger temporarily unavailable");
      },
    });
    onTestFinished(() => consumer.stop());
    await bus.publish(payments.PaymentCompleted.subject, encodePayment("pay_1", 100n), { msgId: "evt_1" });

    await until(async () => expect(await payments.counts()).toMatchObject({ credits: 1, processed: 1 }));
    expect(attemptsAt).toHaveLength(3);
    expect(attemptsAt[1]! - attemptsAt[0]!).toBeGreaterThanOrEqual(150);
    expect(attemptsAt[2]! - attemptsAt[1]!).toBeGreaterThanOrEqual(350);
    const failures = log.entries.filter((entry) => entry.message === "event handler failed; will retry");
    expect(failures.map((entry) => entry.details.retryInMs)).toEqual([200, 400]);
    expect(failures[0]!.details).toMatchObject({ durable: "ledger--credit-payments", messageId: "evt_1" });
  });

  it("runs prepare outside the transaction, hands its result to the handler, and retries when it fails", async () => {
    const payments = await paymentsFixture();
    const bus = await openBus([payments.domain]);
    let prepares = 0;
    const openTransactionsDuringPrepare: number[] = [];
    const consumer = await consume(bus, {
      durable: "ledger--credit-payments",
      events: [payments.PaymentCompleted],
      db: payments.db,
      logger: captureLogger(),
      retry: { initialMs: 100, maxMs: 100 },
      prepare: async ({ message }) => {
        prepares += 1;
        const { rows } = await payments.database.pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity
           WHERE datname = current_database() AND state LIKE 'idle in transaction%'`,
        );
        openTransactionsDuringPrepare.push(rows[0]!.n);
        // The other service is down the first time.
        if (prepares === 1) throw new Error("rates service unavailable");
        return `rate for ${message.payment!.paymentId}`;
      },
      handler: async (event, context) => {
        expect(context.prepared).toBe("rate for pay_1");
        await payments.credit(event, context);
      },
    });
    onTestFinished(() => consumer.stop());
    await bus.publish(payments.PaymentCompleted.subject, encodePayment("pay_1", 100n), { msgId: "evt_1" });

    await until(async () => expect(await payments.counts()).toMatchObject({ credits: 1, processed: 1 }));
    expect(prepares).toBe(2);
    expect(openTransactionsDuringPrepare).toEqual([0, 0]);
  });

  it("terminates and logs a payload that cannot be decoded, and goes on with the next event", async () => {
    const payments = await paymentsFixture();
    const bus = await openBus([payments.domain]);
    const log = captureLogger();
    const handled: string[] = [];
    const consumer = await consume(bus, {
      durable: "ledger--credit-payments",
      events: [payments.PaymentCompleted],
      db: payments.db,
      logger: log,
      ackWaitMs: 300,
      handler: async (event, context) => {
        handled.push(context.messageId);
        await payments.credit(event, context);
      },
    });
    onTestFinished(() => consumer.stop());
    const subject = payments.PaymentCompleted.subject;
    await bus.publish(subject, new Uint8Array([0x0a, 0xff]), {
      msgId: "evt_garbage",
      headers: { [REQUEST_ID_HEADER]: "req-9" },
    });
    await bus.publish(subject, encodePayment("pay_2", 200n), { msgId: "evt_good" });

    await until(() => expect(handled).toEqual(["evt_good"]));
    expect(log.entries).toContainEqual(
      expect.objectContaining({
        level: "error",
        message: "event payload cannot be decoded; terminated",
        details: expect.objectContaining({ messageId: "evt_garbage", requestId: "req-9", subject }),
      }),
    );
    await sleep(800); // past ack wait: a terminated message does not come back
    expect(handled).toEqual(["evt_good"]);
    expect(await payments.counts()).toMatchObject({ credits: 1, processed: 1 });
  });

  it("handles events of several domains in one consumer, telling them apart by subject", async () => {
    const billing = `t${uniqueSuffix()}`;
    const orders = `t${uniqueSuffix()}`;
    const PaymentCompleted = defineEvent(`${billing}.payment.completed`, PaymentCompletedEvent);
    const ChargeCompleted = defineEvent(`${orders}.charge.completed`, ChargeCompletedEvent);
    const payments = await paymentsFixture();
    const bus = await openBus([billing, orders]);
    const received: string[] = [];
    const consumer = await consume(bus, {
      durable: "ledger--money-in-and-out",
      events: [PaymentCompleted, ChargeCompleted],
      db: payments.db,
      logger: captureLogger(),
      handler: async (event) => {
        if (isEvent(event, PaymentCompleted)) received.push(`paid ${event.message.payment!.amountFen}`);
        else received.push(`charged ${event.message.charge!.amountFen}`);
      },
    });
    onTestFinished(() => consumer.stop());
    await bus.publish(PaymentCompleted.subject, encodePayment("pay_1", 500n), { msgId: "evt_1" });
    const charge = ChargeCompletedEvent.fromPartial({ charge: { amountFen: 300n } });
    await bus.publish(ChargeCompleted.subject, ChargeCompletedEvent.encode(charge).finish(), { msgId: "evt_2" });

    // Handlers run before their transaction commits: wait for both commits before looking.
    await until(async () => expect((await payments.counts()).processed).toBe(2));
    expect(received.sort()).toEqual(["charged 300", "paid 500"]);
  });
});
