-- CreateEnum
CREATE TYPE "ChargeStatus" AS ENUM ('COMPLETED', 'REFUNDED');

-- CreateEnum
CREATE TYPE "BillStatus" AS ENUM ('SETTLED', 'OUTSTANDING');

-- CreateTable
CREATE TABLE "account" (
    "subscriber_id" TEXT NOT NULL,
    "balance_fen" BIGINT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "account_pkey" PRIMARY KEY ("subscriber_id")
);

-- CreateTable
CREATE TABLE "payment" (
    "id" TEXT NOT NULL,
    "request_id" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "subscriber_id" TEXT NOT NULL,
    "amount_fen" BIGINT NOT NULL,
    "channel" TEXT NOT NULL,
    "payment_method" TEXT NOT NULL,
    "balance_after_fen" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "charge" (
    "id" TEXT NOT NULL,
    "request_id" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "subscriber_id" TEXT NOT NULL,
    "order_id" TEXT NOT NULL,
    "amount_fen" BIGINT NOT NULL,
    "description_zh" TEXT NOT NULL,
    "description_en" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "status" "ChargeStatus" NOT NULL,
    "balance_after_fen" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "refunded_at" TIMESTAMPTZ(3),
    "refund_balance_after_fen" BIGINT,

    CONSTRAINT "charge_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "bill" (
    "id" TEXT NOT NULL,
    "subscriber_id" TEXT NOT NULL,
    "billing_month" TEXT NOT NULL,
    "total_fen" BIGINT NOT NULL,
    "status" "BillStatus" NOT NULL,
    "issued_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "bill_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "bill_line" (
    "id" TEXT NOT NULL,
    "bill_id" TEXT NOT NULL,
    "position" INTEGER NOT NULL,
    "kind" TEXT NOT NULL,
    "description_zh" TEXT NOT NULL,
    "description_en" TEXT NOT NULL,
    "amount_fen" BIGINT NOT NULL,

    CONSTRAINT "bill_line_pkey" PRIMARY KEY ("id")
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
CREATE UNIQUE INDEX "payment_request_id_key" ON "payment"("request_id");

-- CreateIndex
CREATE INDEX "payment_subscriber_id_created_at_id_idx" ON "payment"("subscriber_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "charge_request_id_key" ON "charge"("request_id");

-- CreateIndex
CREATE INDEX "charge_subscriber_id_created_at_id_idx" ON "charge"("subscriber_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "charge_order_id_idx" ON "charge"("order_id");

-- CreateIndex
CREATE UNIQUE INDEX "bill_subscriber_id_billing_month_key" ON "bill"("subscriber_id", "billing_month");

-- CreateIndex
CREATE UNIQUE INDEX "bill_line_bill_id_position_key" ON "bill_line"("bill_id", "position");

-- CreateIndex
CREATE INDEX "outbox_message_published_at_id_idx" ON "outbox_message"("published_at", "id");

-- AddForeignKey
ALTER TABLE "bill_line" ADD CONSTRAINT "bill_line_bill_id_fkey" FOREIGN KEY ("bill_id") REFERENCES "bill"("id") ON DELETE CASCADE ON UPDATE CASCADE;
