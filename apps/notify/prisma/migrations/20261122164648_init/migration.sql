-- CreateEnum
CREATE TYPE "MessageKind" AS ENUM ('SERVICE', 'MARKETING');

-- CreateEnum
CREATE TYPE "MessageStatus" AS ENUM ('QUEUED', 'DEFERRED', 'SENT', 'DELIVERED', 'FAILED');

-- CreateEnum
CREATE TYPE "PartStatus" AS ENUM ('SENT', 'DELIVERED', 'FAILED');

-- CreateEnum
CREATE TYPE "ConsentAction" AS ENUM ('GRANT', 'OPT_OUT');

-- CreateTable
CREATE TABLE "message" (
    "id" TEXT NOT NULL,
    "dedupe_key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "subscriber_id" TEXT NOT NULL,
    "msisdn" TEXT NOT NULL,
    "time_zone" TEXT NOT NULL,
    "kind" "MessageKind" NOT NULL,
    "template_code" TEXT NOT NULL,
    "language_code" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "sender" TEXT NOT NULL,
    "campaign_id" TEXT NOT NULL DEFAULT '',
    "channel" INTEGER NOT NULL,
    "status" "MessageStatus" NOT NULL,
    "attempt_count" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT NOT NULL DEFAULT '',
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL,
    "claimed_until" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),

    CONSTRAINT "message_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "message_part" (
    "message_id" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "provider_message_id" TEXT NOT NULL,
    "status" "PartStatus" NOT NULL,
    "error_code" TEXT NOT NULL DEFAULT '',
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "message_part_pkey" PRIMARY KEY ("message_id","sequence")
);

-- CreateTable
CREATE TABLE "consent_record" (
    "id" TEXT NOT NULL,
    "sequence" BIGSERIAL NOT NULL,
    "request_id" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "subscriber_id" TEXT NOT NULL,
    "action" "ConsentAction" NOT NULL,
    "channel" INTEGER NOT NULL,
    "evidence" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "consent_record_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "delivery_report" (
    "provider_message_id" TEXT NOT NULL,
    "status" "PartStatus" NOT NULL,
    "error_code" TEXT NOT NULL DEFAULT '',
    "received_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "delivery_report_pkey" PRIMARY KEY ("provider_message_id")
);

-- CreateTable
CREATE TABLE "processed_message" (
    "consumer" TEXT NOT NULL,
    "message_id" TEXT NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "processed_message_pkey" PRIMARY KEY ("consumer","message_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "message_dedupe_key_key" ON "message"("dedupe_key");

-- CreateIndex
CREATE INDEX "message_status_next_attempt_at_idx" ON "message"("status", "next_attempt_at");

-- CreateIndex
CREATE INDEX "message_subscriber_id_created_at_id_idx" ON "message"("subscriber_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "message_created_at_id_idx" ON "message"("created_at" DESC, "id" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "message_part_provider_message_id_key" ON "message_part"("provider_message_id");

-- CreateIndex
CREATE UNIQUE INDEX "consent_record_sequence_key" ON "consent_record"("sequence");

-- CreateIndex
CREATE UNIQUE INDEX "consent_record_request_id_key" ON "consent_record"("request_id");

-- CreateIndex
CREATE INDEX "consent_record_subscriber_id_sequence_idx" ON "consent_record"("subscriber_id", "sequence" DESC);

-- AddForeignKey
ALTER TABLE "message_part" ADD CONSTRAINT "message_part_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "message"("id") ON DELETE CASCADE ON UPDATE CASCADE;
