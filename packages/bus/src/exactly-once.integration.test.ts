import { setTimeout as sleep } from "node:timers/promises";
import { connect } from "@nats-io/transport-node";
import { adminQuery, uniqueSuffix } from "@omnihall/testkit";
import { describe, expect, inject, it, onTestFinished, vi } from "vitest";
import { consume, type EventConsumer } from "./consume.js";
import type { EventBus, PublishResult } from "./event-bus.js";
import { JetStreamBus } from "./jetstream-bus.js";
import { OutboxRelay } from "./outbox-relay.js";
import { captureLogger } from "./testing/capture-logger.js";
import { streamInfo, testJetStreamBus } from "./testing/jetstream.js";
import { paymentsFixture } from "./testing/payments.js";

const until = (check: () => void | Promise<void>, timeout = 10_000) => vi.waitFor(check, { timeout, interval: 25 });

function startRelay(relay: OutboxRelay): Promise<void> {
  onTestFinished(() => relay.stop());
  return relay.start();
}

/**
 * The real bus, except that right after each successful publish the relay's database sessions are killed:
 * the relay has published but cannot mark the row published, as when its process dies at that instant.
 */
function crashRelayAfterPublish(bus: EventBus, relayApplicationName: string) {
  const published: PublishResult[] = [];
  const crashingBus: EventBus = {
    async publish(subject, payload, options) {
      const result = await bus.publish(subject, payload, options);
      published.push(result);
      await adminQuery(
        `SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = '${relayApplicationName}'`,
      );
      return result;
    },
    subscribe: (options, handler) => bus.subscribe(options, handler),
    close: () => bus.close(),
  };
  return { crashingBus, published };
}

describe("exactly-once application of an event (real PostgreSQL, real JetStream)", () => {
  async function crashRelayThenRecover(duplicateWindowMs: number) {
    const payments = await paymentsFixture();
    const bus = await testJetStreamBus([payments.domain], { duplicateWindowMs });
    const consumerLog = captureLogger();
    const consumer = await consume(bus, {
      durable: "ledger--credit-payments",
      events: [payments.PaymentCompleted],
      db: payments.db,
      handler: payments.credit,
      logger: consumerLog,
    });
    onTestFinished(() => consumer.stop());
    const eventId = await payments.pay("pay_1", 100n);

    const doomedName = `relay-${uniqueSuffix()}`;
    const { crashingBus, published } = crashRelayAfterPublish(bus, doomedName);
    const doomedLog = captureLogger();
    const doomed = new OutboxRelay({
      databaseUrl: `${payments.database.url}?application_name=${doomedName}`,
      bus: crashingBus,
      logger: doomedLog,
      // It must not retry by itself: the point is that a *new* relay finishes its work.
      backoff: { initialMs: 600_000, maxMs: 600_000 },
    });
    await startRelay(doomed);
    await until(() =>
      expect(doomedLog.entries.map((entry) => entry.message)).toContain("outbox relay could not publish; backing off"),
    );
    await doomed.stop();
    expect(published).toEqual([expect.objectContaining({ duplicate: false })]);
    expect(await payments.counts()).toMatchObject({ unpublished: 1 });

    return { payments, bus, consumerLog, eventId, published };
  }

  it("a relay killed between publish and mark-published: a new relay publishes again, JetStream drops the duplicate, the side effect happens once", async () => {
    const { payments, bus } = await crashRelayThenRecover(120_000);
    const relayLog = captureLogger();
    await startRelay(new OutboxRelay({ databaseUrl: payments.database.url, bus, logger: relayLog }));

    await until(async () =>
      expect(await payments.counts()).toMatchObject({ unpublished: 0, credits: 1, processed: 1 }),
    );
    expect((await streamInfo(payments.domain)).state.messages).toBe(1);
    await sleep(500);
    expect(await payments.counts()).toMatchObject({ credits: 1, processed: 1 });
  });

  it("the same crash past the duplicate window: the stream holds the event twice, processed_message keeps the side effect to one", async () => {
    const { payments, bus, consumerLog } = await crashRelayThenRecover(500);
    await until(async () => expect((await payments.counts()).credits).toBe(1));
    await sleep(1_500); // the server forgets msgIds up to a window after they expire

    await startRelay(new OutboxRelay({ databaseUrl: payments.database.url, bus, logger: captureLogger() }));
    await until(async () => expect((await streamInfo(payments.domain)).state.messages).toBe(2));
    await until(() =>
      expect(consumerLog.entries.map((entry) => entry.message)).toContain(
        "event was already applied; acknowledged again",
      ),
    );
    await until(async () =>
      expect(await payments.counts()).toMatchObject({ unpublished: 0, credits: 1, processed: 1 }),
    );
  });

  async function twoConsumerProcesses() {
    const payments = await paymentsFixture();
    const url = inject("natsUrl");
    const setupBus = await testJetStreamBus([payments.domain]);
    await startRelay(new OutboxRelay({ databaseUrl: payments.database.url, bus: setupBus, logger: captureLogger() }));

    // Process A gets the event first and dies; process B, on its own connection, receives the redelivery.
    const connectionA = await connect({ servers: url });
    onTestFinished(() => connectionA.close());
    const busA = await JetStreamBus.over(connectionA, { logger: captureLogger() });
    const busB = await testJetStreamBus([]);
    const options = {
      durable: "ledger--credit-payments",
      events: [payments.PaymentCompleted],
      db: payments.db,
      ackWaitMs: 1_000,
      retry: { initialMs: 100, maxMs: 100 },
    };
    return { payments, connectionA, busA, busB, options };
  }

  it("a consumer that dies after committing but before acking: the redelivery is acknowledged without applying again", async () => {
    const { payments, connectionA, busA, busB, options } = await twoConsumerProcesses();
    const consumerA = await consume(busA, {
      ...options,
      logger: captureLogger(),
      handler: async (event, context) => {
        await payments.credit(event, context);
        await connectionA.close(); // the process dies: its commit goes through, its ack never leaves
      },
    });
    onTestFinished(() => consumerA.stop());
    await payments.pay("pay_1", 100n);
    await until(async () => expect(await payments.counts()).toMatchObject({ credits: 1, processed: 1 }));

    const logB = captureLogger();
    const consumerB = await consume(busB, { ...options, logger: logB, handler: payments.credit });
    onTestFinished(() => consumerB.stop());
    await until(() =>
      expect(logB.entries).toContainEqual(
        expect.objectContaining({
          message: "event was already applied; acknowledged again",
          details: expect.objectContaining({ deliveryCount: 2 }),
        }),
      ),
    );
    expect(await payments.counts()).toMatchObject({ credits: 1, processed: 1 });
  });

  it("a consumer that dies mid-handler: its transaction rolls back and the redelivery applies the event once", async () => {
    const { payments, connectionA, busA, busB, options } = await twoConsumerProcesses();
    const consumerA = await consume(busA, {
      ...options,
      logger: captureLogger(),
      handler: async (event, context) => {
        await payments.credit(event, context);
        await connectionA.close();
        // The process dies with the transaction open: its database session ends, so PostgreSQL rolls back.
        await context.tx.$executeRaw`SELECT pg_terminate_backend(pg_backend_pid())`;
      },
    });
    onTestFinished(() => consumerA.stop());
    await payments.pay("pay_1", 100n);
    await until(() => expect(connectionA.isClosed()).toBe(true));
    expect(await payments.counts()).toMatchObject({ credits: 0, processed: 0 });

    const consumerB = await consume(busB, { ...options, logger: captureLogger(), handler: payments.credit });
    onTestFinished(() => consumerB.stop());
    await until(async () => expect(await payments.counts()).toMatchObject({ credits: 1, processed: 1 }));
    await sleep(1_500);
    expect(await payments.counts()).toMatchObject({ credits: 1, processed: 1 });
  });

  it("two live instances on one durable: an event redelivered to B while A's transaction is still open is applied once", async () => {
    const { payments, busA, busB, options } = await twoConsumerProcesses();
    // Sessions of this database waiting on a row lock: B's claim of the event, behind A's uncommitted one.
    const waitingOnLock = async () =>
      (
        await payments.database.pool.query<{ n: number }>(
          `SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`,
        )
      ).rows[0]!.n;
    let stoppingA: Promise<void> | undefined;
    const consumerA: EventConsumer = await consume(busA, {
      ...options,
      logger: captureLogger(),
      handler: async (event, context) => {
        await payments.credit(event, context);
        // A is being stopped (a rolling deploy) with this slow event in hand: it pulls no more, so the
        // redelivery after ack wait goes to B. A commits only once B is blocked on the same claim.
        stoppingA = consumerA.stop();
        await until(async () => expect(await waitingOnLock()).toBeGreaterThan(0));
      },
    });
    onTestFinished(() => consumerA.stop());
    const logB = captureLogger();
    const consumerB = await consume(busB, { ...options, logger: logB, handler: payments.credit });
    onTestFinished(() => consumerB.stop());
    await payments.pay("pay_1", 100n);

    await until(() =>
      expect(logB.entries).toContainEqual(
        expect.objectContaining({
          message: "event was already applied; acknowledged again",
          details: expect.objectContaining({ deliveryCount: 2 }),
        }),
      ),
    );
    await stoppingA;
    expect(await payments.counts()).toMatchObject({ credits: 1, processed: 1 });
  });

  it("two live instances on one durable share the events and apply each once", async () => {
    const { payments, busA, busB, options } = await twoConsumerProcesses();
    const handledBy = { a: 0, b: 0 };
    const instance = (bus: EventBus, name: "a" | "b") =>
      consume(bus, {
        ...options,
        prefetch: 1,
        logger: captureLogger(),
        handler: async (event, context) => {
          await payments.credit(event, context);
          handledBy[name] += 1;
        },
      });
    for (const consumer of await Promise.all([instance(busA, "a"), instance(busB, "b")])) {
      onTestFinished(() => consumer.stop());
    }
    for (let i = 0; i < 60; i++) await payments.pay(`pay_${i}`, 100n);

    await until(async () => expect(await payments.counts()).toMatchObject({ credits: 60, processed: 60 }), 20_000);
    const { rows } = await payments.database.pool.query<{ n: number }>(
      `SELECT count(DISTINCT payment_id)::int AS n FROM credit`,
    );
    expect(rows[0]!.n).toBe(60);
    expect(handledBy.a + handledBy.b).toBe(60);
    expect(handledBy.a).toBeGreaterThan(0);
    expect(handledBy.b).toBeGreaterThan(0);
  });
});
