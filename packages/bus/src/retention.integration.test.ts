import { metricsRegistry } from "@omnihall/telemetry";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { consume } from "./consume.js";
import { InProcessBus } from "./in-process-bus.js";
import { RetentionSweeper, days, type RetentionTable } from "./retention.js";
import { captureLogger } from "./testing/capture-logger.js";
import { outboxTestDatabase } from "./testing/outbox-tables.js";
import { paymentsFixture } from "./testing/payments.js";

const until = (check: () => void | Promise<void>, timeout = 10_000) => vi.waitFor(check, { timeout, interval: 25 });

/** processed_message rows `count` of them, `ageDays` old, for consumer `consumer`. */
async function processedRows(
  pool: { query: (sql: string) => Promise<unknown> },
  consumer: string,
  count: number,
  ageDays: number,
) {
  await pool.query(`INSERT INTO processed_message (consumer, message_id, processed_at)
    SELECT '${consumer}', 'evt_' || g, now() - interval '${ageDays} days' FROM generate_series(1, ${count}) AS g`);
}

function sweeper(url: string, tables: RetentionTable[], batchSize = 5) {
  const logger = captureLogger();
  const sweeper = new RetentionSweeper({ databaseUrl: url, tables, logger, batchSize, pollIntervalMs: 60_000 });
  onTestFinished(() => sweeper.stop());
  return { sweeper, logger };
}

const PROCESSED: RetentionTable = { table: "processed_message", column: "processed_at", maxAgeMs: days(14) };

describe("RetentionSweeper (real PostgreSQL)", () => {
  it("deletes rows older than the age in batches of batchSize, keeps the recent ones, honours the extra condition, and counts what it deleted", async () => {
    const database = await outboxTestDatabase(`CREATE TABLE message (id TEXT PRIMARY KEY,
      created_at TIMESTAMPTZ(3) NOT NULL, finished_at TIMESTAMPTZ(3));`);
    await processedRows(database.pool, "old", 12, 20);
    await processedRows(database.pool, "recent", 3, 1);
    // Old and finished: goes. Old but never finished (still being retried): stays. Recent and finished: stays.
    await database.pool.query(`INSERT INTO message VALUES
      ('m_old_done', now() - interval '100 days', now() - interval '99 days'),
      ('m_old_open', now() - interval '100 days', NULL),
      ('m_new_done', now() - interval '1 day', now())`);
    const { sweeper: retention } = sweeper(database.url, [
      PROCESSED,
      { table: "message", column: "created_at", maxAgeMs: days(90), where: "finished_at IS NOT NULL" },
    ]);

    const remaining = async () =>
      (await database.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM processed_message`)).rows[0]!.n;
    // 12 old rows, 5 a batch: 5, 5 (full batches: more may wait), then 2.
    expect(await retention.sweepOnce()).toBe(true);
    expect(await remaining()).toBe(10);
    expect(await retention.sweepOnce()).toBe(true);
    expect(await remaining()).toBe(5);
    expect(await retention.sweepOnce()).toBe(false);
    expect(await remaining()).toBe(3);
    expect(await retention.sweepOnce()).toBe(false);
    const { rows: left } = await database.pool.query<{ consumer: string }>(
      `SELECT DISTINCT consumer FROM processed_message`,
    );
    expect(left).toEqual([{ consumer: "recent" }]);
    const { rows: messages } = await database.pool.query<{ id: string }>(`SELECT id FROM message ORDER BY id`);
    expect(messages.map((row) => row.id)).toEqual(["m_new_done", "m_old_open"]);

    // A table that came back clean rests its interval; a row that ages meanwhile waits for the next due sweep.
    await processedRows(database.pool, "later", 1, 20);
    expect(await retention.sweepOnce()).toBe(false);
    expect(await remaining()).toBe(4);
    await retention.sweepOnce(true);
    expect(await remaining()).toBe(3);

    const metrics = await metricsRegistry.getSingleMetricAsString("omnihall_retention_deleted_rows_total");
    const database_ = new URL(database.url).pathname.slice(1);
    expect(metrics).toContain(
      `omnihall_retention_deleted_rows_total{database="${database_}",table="processed_message"} 13`,
    );
    expect(metrics).toContain(`omnihall_retention_deleted_rows_total{database="${database_}",table="message"} 1`);
  });

  it("two sweepers on their loops share the work: every old row goes once, no errors, recent rows stay", async () => {
    const database = await outboxTestDatabase();
    await processedRows(database.pool, "old", 2_000, 30);
    await processedRows(database.pool, "recent", 50, 0);
    const first = sweeper(database.url, [PROCESSED], 100);
    const second = sweeper(database.url, [PROCESSED], 100);
    first.sweeper.start();
    second.sweeper.start();
    await until(async () => {
      const { rows } = await database.pool.query<{ n: number }>(`SELECT count(*)::int AS n FROM processed_message`);
      expect(rows[0]!.n).toBe(50);
    });
    await Promise.all([first.sweeper.stop(), second.sweeper.stop()]);
    const deleted = [first, second]
      .flatMap((one) => one.logger.entries)
      .filter((entry) => entry.message === "deleted rows past their retention age")
      .reduce((sum, entry) => sum + (entry.details.deleted as number), 0);
    expect(deleted).toBe(2_000);
    expect([...first.logger.entries, ...second.logger.entries].filter((entry) => entry.level === "warn")).toEqual([]);
  });

  it("an event redelivered inside the window is still recognised as processed; past the window its record is gone", async () => {
    const payments = await paymentsFixture();
    // No duplicate window: publishing the same message id again is a redelivery the consumer must catch itself.
    const bus = new InProcessBus({ logger: captureLogger(), duplicateWindowMs: 0 });
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
    const { rows } = await payments.database.pool.query<{
      subject: string;
      payload: Buffer;
      headers: Record<string, string>;
    }>(`SELECT subject, payload, headers FROM outbox_message WHERE id = $1`, [eventId]);
    const deliver = () =>
      bus.publish(rows[0]!.subject, rows[0]!.payload, { msgId: eventId, headers: rows[0]!.headers });
    await deliver();
    await until(async () => expect(await payments.counts()).toMatchObject({ credits: 1, processed: 1 }));

    // Ten days later (the stream keeps events 7): inside the 14-day window, the sweep keeps the record.
    await payments.database.pool.query(`UPDATE processed_message SET processed_at = now() - interval '10 days'`);
    const { sweeper: retention } = sweeper(payments.database.url, [PROCESSED]);
    await retention.sweepOnce();
    const alreadyApplied = () =>
      consumerLog.entries.filter((entry) => entry.message === "event was already applied; acknowledged again").length;
    await deliver();
    await until(() => expect(alreadyApplied()).toBe(1));
    expect(await payments.counts()).toMatchObject({ credits: 1, processed: 1 });

    // Past the window the record goes (no stream can redeliver the event any more).
    await payments.database.pool.query(`UPDATE processed_message SET processed_at = now() - interval '15 days'`);
    await retention.sweepOnce(true);
    expect(await payments.counts()).toMatchObject({ credits: 1, processed: 0 });
  });
});
