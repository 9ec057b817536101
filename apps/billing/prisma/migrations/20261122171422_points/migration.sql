-- CreateEnum
CREATE TYPE "PointsTransactionKind" AS ENUM ('EARN', 'REDEEM', 'EXPIRE', 'REVERSE', 'ADJUST');

-- CreateEnum
CREATE TYPE "RewardKind" AS ENUM ('BALANCE_CREDIT', 'MERCHANDISE');

-- CreateEnum
CREATE TYPE "RedemptionStatus" AS ENUM ('COMPLETED', 'PLACED', 'SHIPPED', 'DELIVERED');

-- AlterTable
ALTER TABLE "account" ADD COLUMN     "points_balance" BIGINT NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "points_lot" (
    "id" TEXT NOT NULL,
    "subscriber_id" TEXT NOT NULL,
    "charge_id" TEXT,
    "earned_points" BIGINT NOT NULL,
    "remaining_points" BIGINT NOT NULL,
    "earned_at" TIMESTAMPTZ(3) NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "points_lot_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "points_transaction" (
    "id" TEXT NOT NULL,
    "subscriber_id" TEXT NOT NULL,
    "kind" "PointsTransactionKind" NOT NULL,
    "points" BIGINT NOT NULL,
    "balance_after" BIGINT NOT NULL,
    "description_zh" TEXT NOT NULL,
    "description_en" TEXT NOT NULL,
    "charge_id" TEXT,
    "redemption_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "points_transaction_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "reward" (
    "code" TEXT NOT NULL,
    "name_zh" TEXT NOT NULL,
    "name_en" TEXT NOT NULL,
    "kind" "RewardKind" NOT NULL,
    "points_cost" BIGINT NOT NULL,
    "credit_fen" BIGINT NOT NULL DEFAULT 0,
    "stock" BIGINT,
    "province_codes" TEXT[],
    "active" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "reward_pkey" PRIMARY KEY ("code")
);

-- CreateTable
CREATE TABLE "redemption" (
    "id" TEXT NOT NULL,
    "request_id" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "subscriber_id" TEXT NOT NULL,
    "reward_code" TEXT NOT NULL,
    "reward_name_zh" TEXT NOT NULL,
    "reward_name_en" TEXT NOT NULL,
    "reward_kind" "RewardKind" NOT NULL,
    "quantity" INTEGER NOT NULL,
    "points" BIGINT NOT NULL,
    "credit_fen" BIGINT NOT NULL,
    "payment_id" TEXT,
    "status" "RedemptionStatus" NOT NULL,
    "channel" TEXT NOT NULL,
    "points_balance_after" BIGINT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "redemption_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "points_lot_charge_id_key" ON "points_lot"("charge_id");

-- CreateIndex
CREATE INDEX "points_lot_subscriber_id_expires_at_id_idx" ON "points_lot"("subscriber_id", "expires_at", "id");

-- CreateIndex
CREATE INDEX "points_lot_expires_at_idx" ON "points_lot"("expires_at");

-- CreateIndex
CREATE INDEX "points_transaction_subscriber_id_id_idx" ON "points_transaction"("subscriber_id", "id" DESC);

-- CreateIndex
CREATE UNIQUE INDEX "points_transaction_charge_id_kind_key" ON "points_transaction"("charge_id", "kind");

-- CreateIndex
CREATE INDEX "reward_points_cost_code_idx" ON "reward"("points_cost", "code");

-- CreateIndex
CREATE UNIQUE INDEX "redemption_request_id_key" ON "redemption"("request_id");

-- CreateIndex
CREATE INDEX "redemption_subscriber_id_id_idx" ON "redemption"("subscriber_id", "id" DESC);
