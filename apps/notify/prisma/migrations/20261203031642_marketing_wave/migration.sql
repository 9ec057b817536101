-- CreateTable
CREATE TABLE "send_rate_bucket" (
    "name" TEXT NOT NULL,
    "tokens" DOUBLE PRECISION NOT NULL,
    "refilled_at" TIMESTAMPTZ(6) NOT NULL,

    CONSTRAINT "send_rate_bucket_pkey" PRIMARY KEY ("name")
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

-- CreateIndex
CREATE INDEX "outbox_message_published_at_id_idx" ON "outbox_message"("published_at", "id");

-- CreateIndex
CREATE INDEX "message_kind_status_next_attempt_at_idx" ON "message"("kind", "status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "message_campaign_id_status_idx" ON "message"("campaign_id", "status");
