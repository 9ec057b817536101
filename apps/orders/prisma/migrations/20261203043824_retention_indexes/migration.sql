-- CreateIndex
CREATE INDEX "processed_message_processed_at_idx" ON "processed_message"("processed_at");

-- CreateIndex
CREATE INDEX "request_record_created_at_idx" ON "request_record"("created_at");
