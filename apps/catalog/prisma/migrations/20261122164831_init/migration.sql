-- CreateEnum
CREATE TYPE "OfferingKind" AS ENUM ('PLAN', 'DATA_PACK', 'VOICE_PACK', 'ROAMING_PACK', 'BROADBAND', 'VALUE_ADDED', 'SIM_CARD');

-- CreateEnum
CREATE TYPE "OfferingLifecycle" AS ENUM ('DRAFT', 'ACTIVE', 'RETIRED');

-- CreateEnum
CREATE TYPE "ReservationState" AS ENUM ('ACTIVE', 'RELEASED', 'CONSUMED');

-- CreateTable
CREATE TABLE "offering" (
    "id" TEXT NOT NULL,
    "code" TEXT NOT NULL,
    "kind" "OfferingKind" NOT NULL,
    "lifecycle" "OfferingLifecycle" NOT NULL DEFAULT 'DRAFT',
    "name_zh" TEXT NOT NULL,
    "name_en" TEXT NOT NULL,
    "description_zh" TEXT NOT NULL,
    "description_en" TEXT NOT NULL,
    "price_fen" BIGINT NOT NULL,
    "price_recurrence" TEXT NOT NULL,
    "validity_kind" TEXT NOT NULL,
    "validity_days" INTEGER NOT NULL,
    "unsubscribe_effect" TEXT NOT NULL,
    "province_codes" TEXT[],
    "channels" TEXT[],
    "trial_days" INTEGER,
    "roaming_country_code" TEXT,
    "allowances" JSONB NOT NULL,
    "eligibility" JSONB NOT NULL,
    "details" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "offering_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "request_log" (
    "request_id" TEXT NOT NULL,
    "rpc" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "response" BYTEA,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "request_log_pkey" PRIMARY KEY ("request_id")
);

-- CreateTable
CREATE TABLE "roaming_destination" (
    "country_code" TEXT NOT NULL,
    "name_zh" TEXT NOT NULL,
    "name_en" TEXT NOT NULL,
    "data_per_mb_fen" BIGINT NOT NULL,
    "voice_outgoing_per_minute_fen" BIGINT NOT NULL,
    "voice_incoming_per_minute_fen" BIGINT NOT NULL,
    "sms_per_message_fen" BIGINT NOT NULL,

    CONSTRAINT "roaming_destination_pkey" PRIMARY KEY ("country_code")
);

-- CreateTable
CREATE TABLE "pool_number" (
    "msisdn" TEXT NOT NULL,
    "province_code" TEXT NOT NULL,
    "selection_fee_fen" BIGINT NOT NULL DEFAULT 0,
    "held_by" TEXT,
    "held_until" TIMESTAMPTZ(3),
    "sold_order_id" TEXT,
    "sold_at" TIMESTAMPTZ(3),

    CONSTRAINT "pool_number_pkey" PRIMARY KEY ("msisdn")
);

-- CreateTable
CREATE TABLE "number_reservation" (
    "id" TEXT NOT NULL,
    "msisdn" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "state" "ReservationState" NOT NULL DEFAULT 'ACTIVE',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "released_at" TIMESTAMPTZ(3),
    "consumed_at" TIMESTAMPTZ(3),
    "order_id" TEXT,

    CONSTRAINT "number_reservation_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "offering_code_key" ON "offering"("code");

-- CreateIndex
CREATE INDEX "offering_lifecycle_kind_code_idx" ON "offering"("lifecycle", "kind", "code");

-- CreateIndex
CREATE INDEX "offering_roaming_country_code_idx" ON "offering"("roaming_country_code");

-- CreateIndex
CREATE INDEX "pool_number_province_code_msisdn_idx" ON "pool_number"("province_code", "msisdn");

-- CreateIndex
CREATE INDEX "number_reservation_msisdn_idx" ON "number_reservation"("msisdn");

-- AddForeignKey
ALTER TABLE "number_reservation" ADD CONSTRAINT "number_reservation_msisdn_fkey" FOREIGN KEY ("msisdn") REFERENCES "pool_number"("msisdn") ON DELETE RESTRICT ON UPDATE CASCADE;
