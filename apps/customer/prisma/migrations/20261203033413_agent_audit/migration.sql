-- CreateTable
CREATE TABLE "agent_audit_entry" (
    "id" TEXT NOT NULL,
    "agent_id" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "actor_detail" JSONB NOT NULL,
    "request_id" TEXT NOT NULL,
    "before" JSONB NOT NULL,
    "after" JSONB NOT NULL,
    "create_time" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "agent_audit_entry_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "agent_audit_entry_agent_id_create_time_idx" ON "agent_audit_entry"("agent_id", "create_time");

-- CreateIndex
CREATE UNIQUE INDEX "agent_audit_entry_agent_id_action_request_id_key" ON "agent_audit_entry"("agent_id", "action", "request_id");
