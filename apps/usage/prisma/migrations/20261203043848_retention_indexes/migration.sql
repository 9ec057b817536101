-- CreateIndex
CREATE INDEX "ingest_request_created_at_idx" ON "ingest_request"("created_at");

-- CreateIndex
CREATE INDEX "processed_message_processed_at_idx" ON "processed_message"("processed_at");
