import { setTimeout as sleep } from "node:timers/promises";
import { PaymentCompletedEvent } from "@omnihall/proto/omnihall/billing/v1/events";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { consume } from "./consume.js";
import { REQUEST_ID_HEADER, type EventBus } from "./event-bus.js";
import { InProcessBus } from "./in-process-bus.js";
import { enqueue } from "./outbox.js";
import { OutboxRelay, type OutboxRelayOptions } from "./outbox-relay.js";
import { captureLogger } from "./testing/capture-logger.js";
import { streamInfo, testJetStreamBus } from "./testing/jetstream.js";
import { privateNatsServer } from "./testing/nats-server.js";
import { paymentsFixture } from "./testing/payments.js";

const until = (check: () => void | Promise<void>, timeout = 10_000) => vi.waitFor(check, { timeout, interval: 25 });

async function startRelay(options: Omit<OutboxRelayOptions, "logger"> & { logger?: OutboxRelayOptions["logger"] }) {
  const relay = new OutboxRelay({ logger: captureLogger(), ...options });
  onTestFinished(() => relay.stop());
  await relay.start();
  return relay;
}

describe("enqueue", () => {
  it("writes the event in the caller's transaction: gone when it rolls back, stored when it commits", async () => {
    const { PaymentCompleted, db, database, pay } = await paymentsFixture();
    await expect(
      db.$transaction(async (tx) => {
        await enqueue(tx, PaymentCompleted, PaymentCompletedEvent.fromPartial({ payment: { paymentId: "pay_0" } }));
        throw new Error("the state change failed");
      }),
    ).rejects.toThrow("the state change failed");

    const id = await pay("pay_1", 250n, "req-7");
    const { rows } = await database.pool.query(`SELECT * FROM outbox_message`);
    expect(rows).toEqual([
      expect.objectContaining({
        id,
        subject: PaymentCompleted.subject,
        headers: { [REQUEST_ID_HEADER]: "req-7" },
        published_at: null,
      }),
    ]);
    expect(id).toMatch(/^evt_[0-9a-z]{26}$/);
    expect(PaymentCompleted.codec.decode(rows[0].payload).payment).toMatchObject({
      paymentId: "pay_1",
      amountFen: 250n,
    });
  });

  it("refuses headers NATS cannot carry before anything is written", async () => {
    const { PaymentCompleted, db, counts } = await paymentsFixture();
    const message = PaymentCompletedEvent.fromPartial({});
    const refused: Array<Record<string, string>> = [
      { "bad header": "x" },
      { "Nats-Msg-Id": "x" },
      { fine: "two\nlines" },
    ];
    for (const headers of refused) {
      await expect(db.$transaction((tx) => enqueue(tx, PaymentCompleted, message, { headers }))).rejects.toThrow(
        /cannot be sent over NATS/,
      );
    }
    expect((await counts()).outbox).toBe(0);
  });
});

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
])("outbox to consumer over %s", (_name, openBus) => {
  it("delivers committed events in order with their request id, and marks them published", async () => {
    const payments = await paymentsFixture();
    const bus = await openBus([payments.domain]);
    const seen: Array<{ paymentId: string; requestId: string | undefined; messageId: string }> = [];
    const consumerLog = captureLogger();
    const consumer = await consume(bus, {
      durable: "ledger--credit-payments",
      events: [payments.PaymentCompleted],
      db: payments.db,
      logger: consumerLog,
      handler: async (event, context) => {
        seen.push({
          paymentId: event.message.payment!.paymentId,
          requestId: context.requestId,
          messageId: context.messageId,
        });
        await payments.credit(event, context);
      },
    });
    onTestFinished(() => consumer.stop());

    const ids = [];
    for (const n of [1, 2, 3]) ids.push(await payments.pay(`pay_${n}`, BigInt(n * 100), `req-${n}`));
    await startRelay({ databaseUrl: payments.database.url, bus });

    await until(() => expect(seen).toHaveLength(3));
    expect(seen).toEqual([
      { paymentId: "pay_1", requestId: "req-1", messageId: ids[0] },
      { paymentId: "pay_2", requestId: "req-2", messageId: ids[1] },
      { paymentId: "pay_3", requestId: "req-3", messageId: ids[2] },
    ]);
    await until(async () =>
      expect(await payments.counts()).toEqual({ credits: 3, processed: 3, unpublished: 0, outbox: 3 }),
    );
    expect(consumerLog.entries).toContainEqual(
      expect.objectContaining({ message: "event applied", details: expect.objectContaining({ requestId: "req-2" }) }),
    );
  });
});

describe("OutboxRelay", () => {
  it("wakes on the commit's notification instead of waiting for its next poll", async () => {
    const payments = await paymentsFixture();
    const bus = await testJetStreamBus([payments.domain]);
    await startRelay({ databaseUrl: payments.database.url, bus, pollIntervalMs: 600_000 });
    // The relay is LISTENing (a notification sent before that would be lost, and the next poll is 10 minutes off).
    await until(async () => {
      const { rows } = await payments.database.pool.query(
        `SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND state = 'idle' AND query ILIKE 'LISTEN %'`,
      );
      expect(rows.length).toBeGreaterThan(0);
    });

    const startedAt = Date.now();
    await payments.pay("pay_1", 100n);
    await until(async () => expect((await payments.counts()).unpublished).toBe(0), 3_000);
    expect(Date.now() - startedAt).toBeLessThan(3_000);
    expect((await streamInfo(payments.domain)).state.messages).toBe(1);
  });

  it("finds rows no notification announced by polling", async () => {
    const payments = await paymentsFixture();
    const bus = await testJetStreamBus([payments.domain]);
    await startRelay({ databaseUrl: payments.database.url, bus, pollIntervalMs: 200 });
    await sleep(100);
    // Written without enqueue's pg_notify, as if the notification were lost.
    await payments.database.pool.query(
      `INSERT INTO outbox_message (id, subject, payload) VALUES ('evt_silent', $1, $2)`,
      [
        payments.PaymentCompleted.subject,
        Buffer.from(PaymentCompletedEvent.encode(PaymentCompletedEvent.fromPartial({})).finish()),
      ],
    );
    await until(async () => expect((await payments.counts()).unpublished).toBe(0), 3_000);
  });

  it("shares the work with a second relay: every row is published exactly once", async () => {
    const payments = await paymentsFixture();
    const bus = await testJetStreamBus([payments.domain]);
    const publishedBy = { a: [] as string[], b: [] as string[] };
    // The real bus, a little slow, so the two relays' batches overlap in time.
    const recording = (into: string[]): EventBus => ({
      async publish(subject, payload, options) {
        into.push(options.msgId);
        await sleep(2);
        return bus.publish(subject, payload, options);
      },
      subscribe: (options, handler) => bus.subscribe(options, handler),
      close: () => bus.close(),
    });
    await payments.database.pool.query(
      `INSERT INTO outbox_message (id, subject, payload)
       SELECT 'evt_' || lpad(n::text, 4, '0'), $1, '\\x'::bytea FROM generate_series(1, 200) AS n`,
      [payments.PaymentCompleted.subject],
    );
    const shared = { databaseUrl: payments.database.url, batchSize: 10 };
    await Promise.all([
      startRelay({ ...shared, bus: recording(publishedBy.a) }),
      startRelay({ ...shared, bus: recording(publishedBy.b) }),
    ]);

    await until(async () => expect((await payments.counts()).unpublished).toBe(0), 20_000);
    const all = [...publishedBy.a, ...publishedBy.b];
    expect(all).toHaveLength(200);
    expect(new Set(all).size).toBe(200);
    expect(publishedBy.a.length).toBeGreaterThan(0);
    expect(publishedBy.b.length).toBeGreaterThan(0);
    // Each relay publishes its own claims in id order.
    for (const ids of [publishedBy.a, publishedBy.b]) expect(ids).toEqual([...ids].sort());
    expect((await streamInfo(payments.domain)).state.messages).toBe(200);
  });

  it("holds no transaction while it waits on the bus", async () => {
    const payments = await paymentsFixture();
    const bus = await testJetStreamBus([payments.domain]);
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    let waiting = 0;
    const slowBus: EventBus = {
      async publish(subject, payload, options) {
        waiting += 1;
        await held;
        return bus.publish(subject, payload, options);
      },
      subscribe: (options, handler) => bus.subscribe(options, handler),
      close: () => bus.close(),
    };
    await startRelay({ databaseUrl: payments.database.url, bus: slowBus });
    onTestFinished(() => release()); // runs before the relay's stop, which waits for this publish
    await payments.pay("pay_1", 100n);
    await until(() => expect(waiting).toBe(1));

    const { rows } = await payments.database.pool.query<{ state: string }>(
      `SELECT state FROM pg_stat_activity WHERE datname = current_database() AND application_name = 'omnihall-outbox-relay'`,
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.filter((row) => row.state !== "idle")).toEqual([]);
    // Its claims still keep a second relay off the rows meanwhile.
    const second = new OutboxRelay({ databaseUrl: payments.database.url, bus, logger: captureLogger() });
    onTestFinished(() => second.stop());
    await second.start();
    await sleep(300);
    expect((await payments.counts()).unpublished).toBe(1);

    release();
    await until(async () => expect((await payments.counts()).unpublished).toBe(0));
    expect((await streamInfo(payments.domain)).state.messages).toBe(1);
  });

  it("deletes published rows after the retention time, and keeps them when told to", async () => {
    const deleting = await paymentsFixture();
    const keeping = await paymentsFixture();
    const bus = await testJetStreamBus([deleting.domain, keeping.domain]);
    await startRelay({ databaseUrl: deleting.database.url, bus, keepPublishedMs: 0 });
    await startRelay({ databaseUrl: keeping.database.url, bus, keepPublishedMs: Number.POSITIVE_INFINITY });
    await deleting.pay("pay_1", 100n);
    await keeping.pay("pay_1", 100n);

    await until(async () => expect((await deleting.counts()).outbox).toBe(0));
    await until(async () => expect(await keeping.counts()).toMatchObject({ outbox: 1, unpublished: 0 }));
    expect((await streamInfo(deleting.domain)).state.messages).toBe(1);
  });

  it("backs off while the bus is down and publishes what waited once it is back", async () => {
    const nats = await privateNatsServer();
    const payments = await paymentsFixture();
    const bus = await testJetStreamBus([payments.domain], { url: nats.url, timeoutMs: 300 });
    const relayLog = captureLogger();
    const backoff = { initialMs: 100, maxMs: 400 };
    await startRelay({ databaseUrl: payments.database.url, bus, logger: relayLog, backoff });
    await payments.pay("pay_1", 100n);
    await until(async () => expect((await payments.counts()).unpublished).toBe(0));

    await nats.stop();
    await payments.pay("pay_2", 200n);
    await payments.pay("pay_3", 300n);
    const retryDelays = () =>
      relayLog.entries
        .filter((entry) => entry.message === "outbox relay could not publish; backing off")
        .map((entry) => entry.details.retryInMs);
    await until(() => expect(retryDelays().length).toBeGreaterThanOrEqual(4));
    expect(retryDelays().slice(0, 4)).toEqual([100, 200, 400, 400]);
    expect((await payments.counts()).unpublished).toBe(2);

    await nats.start();
    await until(async () => expect((await payments.counts()).unpublished).toBe(0), 20_000);
    expect((await streamInfo(payments.domain, nats.url)).state.messages).toBe(3);
  });
});
