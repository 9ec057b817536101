import pg from "pg";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { startUsageHarness } from "./testing/usage-harness.js";

describe("usage retention (the service's own sweeper on its real schema)", () => {
  it("on start, deletes usage records, ingest request ids and processed events past their ages and keeps the rest", async () => {
    const harness = await startUsageHarness();
    const pool = new pg.Pool({ connectionString: harness.databaseUrl, max: 1 });
    onTestFinished(() => pool.end());
    await pool.query(`
      INSERT INTO usage_record (source, record_id, subscriber_id, unit, quantity, usage_time, province_code, roaming_country_code)
      VALUES ('t', 'old', 'sub_1', 1, 1, now() - interval '200 days', 'GD', ''),
             ('t', 'recent', 'sub_1', 1, 1, now() - interval '100 days', 'GD', '');
      INSERT INTO ingest_request (request_id, response, created_at)
      VALUES ('old', '\\x', now() - interval '40 days'), ('recent', '\\x', now() - interval '2 days');
      INSERT INTO processed_message (consumer, message_id, processed_at)
      VALUES ('c', 'old', now() - interval '20 days'), ('c', 'recent', now() - interval '10 days');`);

    // A start sweeps at once (then every 10 minutes).
    await harness.restart();
    await vi.waitFor(
      async () => {
        const { rows } = await pool.query(`SELECT
          (SELECT array_agg(record_id) FROM usage_record) AS records,
          (SELECT array_agg(request_id) FROM ingest_request) AS requests,
          (SELECT array_agg(message_id) FROM processed_message) AS processed`);
        expect(rows[0]).toEqual({ records: ["recent"], requests: ["recent"], processed: ["recent"] });
      },
      { timeout: 10_000, interval: 50 },
    );
  });
});
