-- CreateEnum
CREATE TYPE "CampaignState" AS ENUM ('DRAFT', 'PENDING_APPROVAL', 'SCHEDULED', 'LIVE', 'PAUSED', 'ENDED');

-- CreateTable
CREATE TABLE "campaign" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "state" "CampaignState" NOT NULL,
    "province_code" TEXT,
    "spec" JSONB NOT NULL,
    "start_time" TIMESTAMPTZ(3) NOT NULL,
    "end_time" TIMESTAMPTZ(3) NOT NULL,
    "author_id" TEXT NOT NULL,
    "approver_id" TEXT,
    "rejection_reason" TEXT,
    "version" INTEGER NOT NULL DEFAULT 1,
    "create_time" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "update_time" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "campaign_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "audit_entry" (
    "id" TEXT NOT NULL,
    "campaign_id" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "actor" TEXT NOT NULL,
    "request_id" TEXT NOT NULL,
    "before" JSONB,
    "after" JSONB NOT NULL,
    "create_time" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audit_entry_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "request_log" (
    "request_id" TEXT NOT NULL,
    "rpc" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "response" BYTEA,
    "create_time" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "request_log_pkey" PRIMARY KEY ("request_id")
);

-- CreateTable
CREATE TABLE "audience_fact" (
    "subscriber_id" TEXT NOT NULL,
    "province_code" TEXT,
    "city" TEXT,
    "plan_code" TEXT,
    "subscribed_time" TIMESTAMPTZ(3),
    "spend_month" TEXT,
    "month_spend_fen" BIGINT NOT NULL DEFAULT 0,
    "last_month_spend_fen" BIGINT NOT NULL DEFAULT 0,
    "last_month_data_kb" BIGINT,
    "marketing_consent" BOOLEAN,
    "update_time" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "audience_fact_pkey" PRIMARY KEY ("subscriber_id")
);

-- CreateTable
CREATE TABLE "outbox_message" (
    "id" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "payload" BYTEA NOT NULL,
    "headers" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),

    CONSTRAINT "outbox_message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "processed_message" (
    "consumer" TEXT NOT NULL,
    "message_id" TEXT NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "processed_message_pkey" PRIMARY KEY ("consumer","message_id")
);

-- CreateIndex
CREATE INDEX "campaign_state_start_time_idx" ON "campaign"("state", "start_time");

-- CreateIndex
CREATE INDEX "campaign_state_end_time_idx" ON "campaign"("state", "end_time");

-- CreateIndex
CREATE INDEX "campaign_province_code_create_time_idx" ON "campaign"("province_code", "create_time");

-- CreateIndex
CREATE INDEX "campaign_create_time_id_idx" ON "campaign"("create_time", "id");

-- CreateIndex
CREATE INDEX "audit_entry_campaign_id_id_idx" ON "audit_entry"("campaign_id", "id");

-- CreateIndex
CREATE INDEX "audience_fact_province_code_city_idx" ON "audience_fact"("province_code", "city");

-- CreateIndex
CREATE INDEX "outbox_message_published_at_id_idx" ON "outbox_message"("published_at", "id");

-- AddForeignKey
ALTER TABLE "audit_entry" ADD CONSTRAINT "audit_entry_campaign_id_fkey" FOREIGN KEY ("campaign_id") REFERENCES "campaign"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
