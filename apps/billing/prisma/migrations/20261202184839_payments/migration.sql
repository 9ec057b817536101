-- CreateEnum
CREATE TYPE "PaymentStatus" AS ENUM ('CREATED', 'PENDING', 'SUCCEEDED', 'FAILED', 'EXPIRED', 'CANCELLED', 'PARTIALLY_REFUNDED', 'REFUNDED');

-- CreateEnum
CREATE TYPE "RefundStatus" AS ENUM ('PENDING', 'SUCCEEDED', 'FAILED');

-- AlterTable
ALTER TABLE "payment" ADD COLUMN     "auth_code" TEXT,
ADD COLUMN     "card_last4" TEXT,
ADD COLUMN     "cash_counted_fen" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "cash_last_sequence" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "check_attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "expires_at" TIMESTAMPTZ(3),
ADD COLUMN     "failure_en" TEXT,
ADD COLUMN     "failure_reason" TEXT,
ADD COLUMN     "failure_zh" TEXT,
ADD COLUMN     "next_check_at" TIMESTAMPTZ(3),
ADD COLUMN     "order_id" TEXT,
ADD COLUMN     "pay_url" TEXT,
ADD COLUMN     "provider_reference" TEXT,
ADD COLUMN     "purpose" TEXT NOT NULL DEFAULT 'TOP_UP',
ADD COLUMN     "qr_payload" TEXT,
ADD COLUMN     "refunded_fen" BIGINT NOT NULL DEFAULT 0,
ADD COLUMN     "stan" INTEGER,
ADD COLUMN     "status" "PaymentStatus" NOT NULL DEFAULT 'SUCCEEDED',
ADD COLUMN     "succeeded_at" TIMESTAMPTZ(3),
ADD COLUMN     "terminal_id" TEXT,
ADD COLUMN     "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
ALTER COLUMN "balance_after_fen" DROP NOT NULL;

-- CreateTable
CREATE TABLE "payment_refund" (
    "id" TEXT NOT NULL,
    "payment_id" TEXT NOT NULL,
    "request_id" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "amount_fen" BIGINT NOT NULL,
    "status" "RefundStatus" NOT NULL,
    "reason" TEXT NOT NULL,
    "provider_reference" TEXT,
    "balance_after_fen" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "payment_refund_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cash_note" (
    "payment_id" TEXT NOT NULL,
    "sequence" INTEGER NOT NULL,
    "denomination_fen" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "cash_note_pkey" PRIMARY KEY ("payment_id","sequence")
);

-- CreateIndex
CREATE UNIQUE INDEX "payment_refund_request_id_key" ON "payment_refund"("request_id");

-- CreateIndex
CREATE INDEX "payment_refund_payment_id_idx" ON "payment_refund"("payment_id");

-- CreateIndex
CREATE INDEX "payment_refund_status_created_at_idx" ON "payment_refund"("status", "created_at");

-- CreateIndex
CREATE INDEX "payment_status_next_check_at_idx" ON "payment"("status", "next_check_at");

-- CreateIndex
CREATE INDEX "payment_payment_method_succeeded_at_idx" ON "payment"("payment_method", "succeeded_at");
