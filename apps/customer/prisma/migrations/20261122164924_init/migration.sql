-- CreateEnum
CREATE TYPE "SubscriberStatus" AS ENUM ('ACTIVE', 'SUSPENDED', 'TERMINATED');

-- CreateTable
CREATE TABLE "subscriber" (
    "id" TEXT NOT NULL,
    "msisdn" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "province_code" TEXT NOT NULL,
    "city" TEXT NOT NULL,
    "plan_code" TEXT NOT NULL,
    "status" "SubscriberStatus" NOT NULL,
    "language_code" TEXT NOT NULL,
    "time_zone" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "subscriber_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "login_code" (
    "msisdn" TEXT NOT NULL,
    "subscriber_id" TEXT NOT NULL,
    "code_hash" TEXT NOT NULL,
    "issued_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),

    CONSTRAINT "login_code_pkey" PRIMARY KEY ("msisdn")
);

-- CreateTable
CREATE TABLE "login_guard" (
    "msisdn" TEXT NOT NULL,
    "failed_attempts" INTEGER NOT NULL DEFAULT 0,
    "locked_until" TIMESTAMPTZ(3),

    CONSTRAINT "login_guard_pkey" PRIMARY KEY ("msisdn")
);

-- CreateTable
CREATE TABLE "login_request" (
    "kind" TEXT NOT NULL,
    "msisdn" TEXT NOT NULL,
    "request_id" TEXT NOT NULL,
    "outcome" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "login_request_pkey" PRIMARY KEY ("kind","msisdn","request_id")
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
CREATE UNIQUE INDEX "subscriber_msisdn_key" ON "subscriber"("msisdn");

-- CreateIndex
CREATE INDEX "subscriber_province_code_msisdn_idx" ON "subscriber"("province_code", "msisdn");

-- CreateIndex
CREATE INDEX "outbox_message_published_at_id_idx" ON "outbox_message"("published_at", "id");
