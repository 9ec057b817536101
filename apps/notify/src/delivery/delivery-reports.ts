import type { DeliveryReport } from "../providers/provider.js";
import { preparedQuery } from "@omnihall/db";
import type { NotifyDb, NotifyTx } from "../db.js";

/**
 * One of this file's statements run where the caller is: on a Prisma interactive transaction, or as a named
 * prepared statement on a connection of preparedTransaction (the dispatcher's record, see partsOnConnection).
 */
export type PartStatements = <Row>(statement: { name: string; text: string }, values: unknown[]) => Promise<Row[]>;

const onTransaction =
  (tx: NotifyTx): PartStatements =>
  (statement, values) =>
    tx.$queryRawUnsafe(statement.text, ...values);

/** PartStatements as prepared statements on a connection that preparedTransaction lent out. */
export const partsOnConnection =
  (connection: object): PartStatements =>
  (statement, values) =>
    preparedQuery<never>(statement.name, statement.text)(connection, values);

/**
 * Part ids are locked while a report or a part is stored, so whichever of the two commits second sees the other:
 * a receipt that overtakes the submit response waits in delivery_report and is applied when the part lands. One
 * statement, in id order (unnest keeps the array's order), so two writers never lock in opposite orders; count()
 * because the lock function returns void, which Prisma cannot read.
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

/** Stores one delivery report and applies it to its part and message (now, or when the part is stored). */
export async function recordDeliveryReport(db: NotifyDb, report: DeliveryReport): Promise<void> {
  const status = report.status === "DELIVERED" ? "DELIVERED" : "FAILED";
  const errorCode = status === "FAILED" ? [report.status, report.errorCode].filter(Boolean).join(":") : "";
  await db.$transaction(async (tx) => {
    await lockPartIds(onTransaction(tx), [report.providerMessageId]);
    await tx.deliveryReport.upsert({
      where: { providerMessageId: report.providerMessageId },
      create: { providerMessageId: report.providerMessageId, status, errorCode },
      update: { status, errorCode, receivedAt: new Date() },
    });
    await applyDeliveryReports(onTransaction(tx), [report.providerMessageId]);
  });
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
