-- DropIndex
DROP INDEX "message_campaign_id_status_idx";

-- DropIndex
DROP INDEX "message_kind_status_next_attempt_at_idx";

-- DropIndex
DROP INDEX "message_status_next_attempt_at_idx";

-- CreateIndex
CREATE INDEX "message_waiting_idx" ON "message"("kind", "next_attempt_at") WHERE (status = ANY (ARRAY['QUEUED'::"MessageStatus", 'DEFERRED'::"MessageStatus"]));

-- CreateIndex
CREATE INDEX "message_campaign_idx" ON "message"("campaign_id", "status") WHERE (campaign_id <> '');
-- Room on each page for the claim's new row version: claimed_until is in no index, so with room on the page a
-- claim is a HOT update and writes no index entry (Prisma's schema has no word for fillfactor; it lives here).
ALTER TABLE "message" SET (fillfactor = 80);
