-- CreateIndex
CREATE INDEX "request_log_created_at_idx" ON "request_log"("created_at");
