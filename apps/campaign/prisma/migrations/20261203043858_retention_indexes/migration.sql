-- CreateIndex
CREATE INDEX "processed_message_processed_at_idx" ON "processed_message"("processed_at");

-- CreateIndex
CREATE INDEX "request_log_create_time_idx" ON "request_log"("create_time");
