-- CreateIndex
CREATE INDEX "agent_request_created_at_idx" ON "agent_request"("created_at");

-- CreateIndex
CREATE INDEX "login_request_created_at_idx" ON "login_request"("created_at");

-- CreateIndex
CREATE INDEX "operator_request_created_at_idx" ON "operator_request"("created_at");

-- CreateIndex
CREATE INDEX "processed_message_processed_at_idx" ON "processed_message"("processed_at");

-- CreateIndex
CREATE INDEX "subscriber_registration_created_at_idx" ON "subscriber_registration"("created_at");
