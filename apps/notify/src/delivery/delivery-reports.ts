import { preparedQuery, preparedTransaction } from "@omnihall/db";
import type { DeliveryReport } from "../providers/provider.js";
import type { NotifyDb } from "../db.js";
import { GroupCommit } from "./group-commit.js";

/** One of this file's statements, run as a named prepared statement on a connection of preparedTransaction. */
export type PartStatements = <Row>(statement: { name: string; text: string }, values: unknown[]) => Promise<Row[]>;

/** PartStatements as prepared statements on a connection that preparedTransaction lent out. */
export const partsOnConnection =
  (connection: object): PartStatements =>
  (statement, values) =>
    preparedQuery<never>(statement.name, statement.text)(connection, values);

/**
 * Part ids are locked while a report or a part is stored, so whichever of the two commits second sees the other:
 * a receipt that overtakes the submit response waits in delivery_report and is applied when the part lands. One
 * statement, in id order (unnest keeps the array's order), so two writers never lock in opposite orders; count()
 * because the lock function returns void.
 */
const LOCK_PART_IDS = {
  name: "notify_lock_part_ids",
  text: `SELECT count(pg_advisory_xact_lock(hashtextextended('part:' || id, 0)))::int AS locked
         FROM unnest($1::text[]) AS id`,
};

export async function lockPartIds(run: PartStatements, providerMessageIds: readonly string[]): Promise<void> {
  if (providerMessageIds.length === 0) return;
  await run(LOCK_PART_IDS, [[...providerMessageIds].sort()]);
}

/** Stores reports (a later one for the same part replaces the earlier), with the trace they carry. */
const STORE_REPORTS = {
  name: "notify_store_delivery_reports",
  text: `
    INSERT INTO delivery_report (provider_message_id, status, error_code, recipient, reference)
    SELECT r.id, r.status::"PartStatus", r.error_code, r.recipient, r.reference
    FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[])
      AS r(id, status, error_code, recipient, reference)
    ON CONFLICT (provider_message_id) DO UPDATE
    SET status = excluded.status, error_code = excluded.error_code, recipient = excluded.recipient,
        reference = excluded.reference, received_at = now()`,
};

/**
 * Stores a group of delivery reports and applies them to their parts and messages (now, or when the parts are
 * stored): one short transaction of prepared statements, whatever the group's size.
 */
export async function recordDeliveryReports(db: NotifyDb, reports: readonly DeliveryReport[]): Promise<void> {
  // One row per part: the newest report of a part wins (one statement cannot upsert a key twice).
  const byPart = new Map(reports.map((report) => [report.providerMessageId, report]));
  const rows = [...byPart.values()];
  const failed = (report: DeliveryReport) => report.status !== "DELIVERED";
  await preparedTransaction(db, async (connection) => {
    const run = partsOnConnection(connection);
    await lockPartIds(run, [...byPart.keys()]);
    await run(STORE_REPORTS, [
      rows.map((report) => report.providerMessageId),
      rows.map((report) => (failed(report) ? "FAILED" : "DELIVERED")),
      rows.map((report) => (failed(report) ? [report.status, report.errorCode].filter(Boolean).join(":") : "")),
      rows.map((report) => report.trace?.recipient ?? ""),
      rows.map((report) => report.trace?.reference ?? ""),
    ]);
    await applyDeliveryReports(run, [...byPart.keys()]);
  });
}

/**
 * Records reports as they arrive, group-committed (see GroupCommit): a network delivering a receipt for every part
 * sends them as fast as the texts go out, and one transaction each would take the pool from the dispatcher. A
 * write that fails rejects its reports, and the provider asks for them again (SMPP: ESME_RX_T_APPN).
 */
export function deliveryReportRecorder(db: NotifyDb): (report: DeliveryReport) => Promise<void> {
  const group = new GroupCommit<DeliveryReport>((reports) => recordDeliveryReports(db, reports));
  return (report) => group.add(report);
}

/** Copies stored reports onto their parts (and drops them, their job done); answers the parts' messages. */
const APPLY_REPORTS_TO_PARTS = {
  name: "notify_apply_reports_to_parts",
  text: `
    WITH applied AS (
      UPDATE message_part AS part
      SET status = report.status, error_code = report.error_code, updated_at = now()
      FROM delivery_report AS report
      WHERE report.provider_message_id = part.provider_message_id AND part.provider_message_id = ANY($1::text[])
      RETURNING part.message_id, part.provider_message_id
    ), done AS (
      DELETE FROM delivery_report WHERE provider_message_id IN (SELECT provider_message_id FROM applied)
    )
    SELECT DISTINCT message_id FROM applied`,
};

/** Settles each message still SENT: FAILED as soon as one part failed, DELIVERED once every part is delivered. */
const SETTLE_MESSAGES = {
  name: "notify_settle_messages_from_parts",
  text: `
    UPDATE message AS m
    SET status = CASE WHEN parts.failed > 0 THEN 'FAILED'::"MessageStatus" ELSE 'DELIVERED'::"MessageStatus" END,
        finished_at = now(),
        last_error = CASE WHEN parts.failed > 0 THEN 'not delivered: ' || parts.first_error ELSE '' END
    FROM (
      SELECT message_id,
             count(*) FILTER (WHERE status = 'FAILED') AS failed,
             count(*) FILTER (WHERE status = 'DELIVERED') AS delivered,
             count(*) AS total,
             min(error_code) FILTER (WHERE status = 'FAILED') AS first_error
      FROM message_part WHERE message_id = ANY($1::text[]) GROUP BY message_id
    ) AS parts
    WHERE m.id = parts.message_id AND m.status = 'SENT' AND (parts.failed > 0 OR parts.delivered = parts.total)
    RETURNING m.id`,
};

/**
 * Applies stored reports to the given parts, then settles their messages (a second statement: it must see the
 * parts the first one updated).
 */
export async function applyDeliveryReports(run: PartStatements, providerMessageIds: readonly string[]): Promise<void> {
  const touched = await run<{ message_id: string }>(APPLY_REPORTS_TO_PARTS, [[...providerMessageIds]]);
  if (touched.length === 0) return;
  await run(SETTLE_MESSAGES, [touched.map((row) => row.message_id)]);
}
