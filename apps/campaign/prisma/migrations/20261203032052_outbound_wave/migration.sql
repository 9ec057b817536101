-- CreateEnum
CREATE TYPE "WaveState" AS ENUM ('RUNNING', 'PAUSED', 'COMPLETED', 'ENDED');

-- AlterTable
ALTER TABLE "audience_fact" ADD COLUMN     "consent_sequence" BIGINT,
ADD COLUMN     "data_month" TEXT,
ADD COLUMN     "profile_time" TIMESTAMPTZ(3);

-- CreateTable
CREATE TABLE "wave" (
    "campaign_id" TEXT NOT NULL,
    "state" "WaveState" NOT NULL,
    "cursor" TEXT NOT NULL DEFAULT '',
    "counted" BIGINT NOT NULL DEFAULT 0,
    "handed_over" BIGINT NOT NULL DEFAULT 0,
    "skipped_holdout" BIGINT NOT NULL DEFAULT 0,
    "skipped_no_consent" BIGINT NOT NULL DEFAULT 0,
    "skipped_frequency_cap" BIGINT NOT NULL DEFAULT 0,
    "refused_by_notify" BIGINT NOT NULL DEFAULT 0,
    "withdraw_pending" BOOLEAN NOT NULL DEFAULT false,
    "lease_until" TIMESTAMPTZ(3),
    "start_time" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "update_time" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "wave_pkey" PRIMARY KEY ("campaign_id")
);

-- CreateTable
CREATE TABLE "wave_contact" (
    "subscriber_id" TEXT NOT NULL,
    "campaign_id" TEXT NOT NULL,
    "contact_time" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "wave_contact_pkey" PRIMARY KEY ("subscriber_id","campaign_id")
);

-- CreateIndex
CREATE INDEX "wave_state_lease_until_idx" ON "wave"("state", "lease_until");

-- CreateIndex
CREATE INDEX "wave_contact_subscriber_id_contact_time_idx" ON "wave_contact"("subscriber_id", "contact_time");
