import { PaymentCompletedEvent } from "@omnihall/proto/omnihall/billing/v1/events";
import { SpanKind, inSpan, scrapeMetrics } from "@omnihall/telemetry";
import { collectSpans } from "@omnihall/telemetry/testing";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { consume } from "./consume.js";
import { enqueue } from "./outbox.js";
import { OutboxRelay } from "./outbox-relay.js";
import { captureLogger } from "./testing/capture-logger.js";
import { testJetStreamBus } from "./testing/jetstream.js";
import { privateNatsServer } from "./testing/nats-server.js";
import { paymentsFixture } from "./testing/payments.js";

const until = (check: () => void | Promise<void>, timeout = 10_000) => vi.waitFor(check, { timeout, interval: 25 });

/** The value of one series in a scrape (undefined when it is not there). */
function valueOf(scrape: string, series: string): number | undefined {
  const line = scrape.split("\n").find((candidate) => candidate.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

describe("bus telemetry", () => {
  it("reports the outbox backlog and the age of its oldest row while NATS is down, and published events", async () => {
    const nats = await privateNatsServer();
    const payments = await paymentsFixture();
    const bus = await testJetStreamBus([payments.domain], { url: nats.url, timeoutMs: 300 });
    const database = new URL(payments.database.url).pathname.slice(1);
    const subject = payments.PaymentCompleted.subject;
    const backlog = `omnihall_outbox_backlog{database="${database}"}`;
    const age = `omnihall_outbox_oldest_age_seconds{database="${database}"}`;
    const relay = new OutboxRelay({
      databaseUrl: payments.database.url,
      bus,
      logger: captureLogger(),
      backoff: { initialMs: 100, maxMs: 200 },
    });
    onTestFinished(() => relay.stop());
    await relay.start();
    await payments.pay("pay_1", 100n);
    await until(async () => expect((await payments.counts()).unpublished).toBe(0));
    const before = await scrapeMetrics();
    expect(valueOf(before, backlog)).toBe(0);
    expect(valueOf(before, age)).toBe(0);
    expect(valueOf(before, `omnihall_events_published_total{subject="${subject}",duplicate="false"}`)).toBe(1);

    await nats.stop();
    await payments.pay("pay_2", 200n);
    await until(async () => {
      const during = await scrapeMetrics();
      expect(valueOf(during, backlog)).toBe(1);
      expect(valueOf(during, age)).toBeGreaterThan(0.05);
    });

    await nats.start();
    await until(async () => expect(valueOf(await scrapeMetrics(), backlog)).toBe(0));
    await relay.stop();
    expect(await scrapeMetrics()).not.toContain(backlog);
  });

  it("counts deliveries and redeliveries per durable and subject, and reports its lag", async () => {
    const payments = await paymentsFixture();
    const bus = await testJetStreamBus([payments.domain]);
    const stream = payments.domain.toUpperCase();
    const durable = "ledger--metrics";
    const subject = payments.PaymentCompleted.subject;
    await payments.pay("pay_1", 100n);
    await payments.pay("pay_2", 200n);
    const relay = new OutboxRelay({ databaseUrl: payments.database.url, bus, logger: captureLogger() });
    onTestFinished(() => relay.stop());
    await relay.start();
    await until(async () => expect((await payments.counts()).unpublished).toBe(0));

    // A consumer that fails the first delivery of pay_2 once: one redelivery.
    let failedOnce = false;
    const consumer = await consume(bus, {
      durable,
      events: [payments.PaymentCompleted],
      db: payments.db,
      logger: captureLogger(),
      retry: { initialMs: 10, maxMs: 10 },
      handler: async (event, context) => {
        if (event.message.payment!.paymentId === "pay_2" && !failedOnce) {
          failedOnce = true;
          throw new Error("not now");
        }
        await payments.credit(event, context);
      },
    });
    onTestFinished(() => consumer.stop());
    await until(async () => expect((await payments.counts()).credits).toBe(2));

    const labels = `durable="${durable}",subject="${subject}"`;
    await until(async () => {
      const consumed = await scrapeMetrics();
      expect(valueOf(consumed, `omnihall_event_deliveries_total{${labels}}`)).toBe(3);
      expect(valueOf(consumed, `omnihall_event_redeliveries_total{${labels}}`)).toBe(1);
      expect(valueOf(consumed, `omnihall_event_handling_seconds_count{${labels}}`)).toBe(3);
      expect(valueOf(consumed, `omnihall_event_consumer_pending{stream="${stream}",durable="${durable}"}`)).toBe(0);
      expect(valueOf(consumed, `omnihall_event_consumer_ack_pending{stream="${stream}",durable="${durable}"}`)).toBe(0);
    });
    await consumer.stop();
    expect(await scrapeMetrics()).not.toContain(`omnihall_event_consumer_pending{stream="${stream}"`);
  });

  it("carries one trace from the enqueuing call through the relay's publish to the consumer's handler", async () => {
    const collected = collectSpans();
    onTestFinished(() => collected.stop());
    const payments = await paymentsFixture();
    const bus = await testJetStreamBus([payments.domain]);
    const relay = new OutboxRelay({ databaseUrl: payments.database.url, bus, logger: captureLogger() });
    onTestFinished(() => relay.stop());
    await relay.start();
    const handled: string[] = [];
    const logs = captureLogger();
    const consumer = await consume(bus, {
      durable: "ledger--traced",
      events: [payments.PaymentCompleted],
      db: payments.db,
      logger: logs,
      handler: async (event, context) => {
        await payments.credit(event, context);
        handled.push(event.message.payment!.paymentId);
      },
    });
    onTestFinished(() => consumer.stop());

    const traceId = await inSpan("TopUp", { kind: SpanKind.SERVER }, async (span) => {
      await payments.db.$transaction((tx) =>
        enqueue(tx, payments.PaymentCompleted, PaymentCompletedEvent.fromPartial({ payment: { paymentId: "pay_t" } })),
      );
      return span!.spanContext().traceId;
    });
    await until(() => expect(handled).toEqual(["pay_t"]));

    const spans = collected.spans().filter((span) => span.spanContext().traceId === traceId);
    const names = spans.map((span) => span.name);
    const subject = payments.PaymentCompleted.subject;
    expect(names).toEqual(expect.arrayContaining(["TopUp", `publish ${subject}`, `process ${subject}`]));
    const publish = spans.find((span) => span.name === `publish ${subject}`)!;
    const processing = spans.find((span) => span.name === `process ${subject}`)!;
    expect(publish.kind).toBe(SpanKind.PRODUCER);
    expect(processing.kind).toBe(SpanKind.CONSUMER);
    expect(processing.parentSpanContext?.spanId).toBe(publish.spanContext().spanId);
  });
});
