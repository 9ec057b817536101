import type { DeliveryReport } from "../providers/provider.js";
import type { NotifyDb, NotifyTx } from "../db.js";

/**
 * Part ids are locked while a report or a part is stored, so whichever of the two commits second sees the other:
 * a receipt that overtakes the submit response waits in delivery_report and is applied when the part lands.
 */
async function lockPartIds(tx: NotifyTx, providerMessageIds: readonly string[]): Promise<void> {
  if (providerMessageIds.length === 0) return;
  // One statement, in id order (unnest keeps the array's order), so two writers never lock in opposite orders.
  const sorted = [...providerMessageIds].sort();
  await tx.$executeRaw`
    SELECT pg_advisory_xact_lock(hashtextextended('part:' || id, 0)) FROM unnest(${sorted}::text[]) AS id`;
}

/** Stores one delivery report and applies it to its part and message (now, or when the part is stored). */
export async function recordDeliveryReport(db: NotifyDb, report: DeliveryReport): Promise<void> {
  const status = report.status === "DELIVERED" ? "DELIVERED" : "FAILED";
  const errorCode = status === "FAILED" ? [report.status, report.errorCode].filter(Boolean).join(":") : "";
  await db.$transaction(async (tx) => {
    await lockPartIds(tx, [report.providerMessageId]);
    await tx.deliveryReport.upsert({
      where: { providerMessageId: report.providerMessageId },
      create: { providerMessageId: report.providerMessageId, status, errorCode },
      update: { status, errorCode, receivedAt: new Date() },
    });
    await applyDeliveryReports(tx, [report.providerMessageId]);
  });
}

/** Stores the parts a provider accepted and applies any receipt that arrived before them. */
export function storeSentParts(tx: NotifyTx, messageId: string, providerMessageIds: readonly string[]) {
  return storeSentPartsOf(tx, [{ messageId, providerMessageIds }]);
}

/** storeSentParts for many messages at once (a dispatch round): a few statements whatever their number. */
export async function storeSentPartsOf(
  tx: NotifyTx,
  messages: ReadonlyArray<{ messageId: string; providerMessageIds: readonly string[] }>,
): Promise<void> {
  const parts = messages.flatMap(({ messageId, providerMessageIds }) =>
    providerMessageIds.map((providerMessageId, index) => ({
      messageId,
      sequence: index + 1,
      providerMessageId,
      status: "SENT" as const,
    })),
  );
  if (parts.length === 0) return;
  const ids = parts.map((part) => part.providerMessageId);
  await lockPartIds(tx, ids);
  await tx.messagePart.createMany({ data: parts });
  await applyDeliveryReports(tx, ids);
}

/**
 * Copies stored reports onto their parts (and drops them), then settles each touched message still SENT: FAILED as soon as one
 * part failed, DELIVERED once every part is delivered.
 */
async function applyDeliveryReports(tx: NotifyTx, providerMessageIds: readonly string[]): Promise<void> {
  const ids = [...providerMessageIds];
  // An applied report has done its job; only reports still waiting for their part stay in the table.
  const touched = await tx.$queryRaw<{ message_id: string }[]>`
    WITH applied AS (
      UPDATE message_part AS part
      SET status = report.status, error_code = report.error_code, updated_at = now()
      FROM delivery_report AS report
      WHERE report.provider_message_id = part.provider_message_id AND part.provider_message_id = ANY(${ids})
      RETURNING part.message_id, part.provider_message_id
    ), done AS (
      DELETE FROM delivery_report WHERE provider_message_id IN (SELECT provider_message_id FROM applied)
    )
    SELECT message_id FROM applied`;
  const messageIds = [...new Set(touched.map((row) => row.message_id))];
  if (messageIds.length === 0) return;
  await tx.$executeRaw`
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
      FROM message_part WHERE message_id = ANY(${messageIds}) GROUP BY message_id
    ) AS parts
    WHERE m.id = parts.message_id AND m.status = 'SENT' AND (parts.failed > 0 OR parts.delivered = parts.total)`;
}
