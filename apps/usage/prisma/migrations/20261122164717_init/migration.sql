-- CreateTable
CREATE TABLE "subscriber" (
    "id" TEXT NOT NULL,
    "time_zone" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "subscriber_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "product" (
    "id" TEXT NOT NULL,
    "subscriber_id" TEXT NOT NULL,
    "offering_code" TEXT NOT NULL,
    "offering_name_zh" TEXT NOT NULL,
    "offering_name_en" TEXT NOT NULL,
    "trial" BOOLEAN NOT NULL,
    "start_time" TIMESTAMPTZ(3) NOT NULL,
    "end_time" TIMESTAMPTZ(3),
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "product_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "allowance" (
    "id" TEXT NOT NULL,
    "product_id" TEXT NOT NULL,
    "subscriber_id" TEXT NOT NULL,
    "unit" SMALLINT NOT NULL,
    "quantity" BIGINT NOT NULL,
    "recurrence" SMALLINT NOT NULL,
    "roaming_country_code" TEXT NOT NULL,

    CONSTRAINT "allowance_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "bucket" (
    "id" TEXT NOT NULL,
    "allowance_id" TEXT NOT NULL,
    "subscriber_id" TEXT NOT NULL,
    "period_start" TIMESTAMPTZ(3) NOT NULL,
    "period_end" TIMESTAMPTZ(3),
    "quota" BIGINT NOT NULL,
    "used" BIGINT NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "bucket_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "threshold_crossing" (
    "bucket_id" TEXT NOT NULL,
    "threshold_percent" INTEGER NOT NULL,
    "cross_time" TIMESTAMPTZ(3) NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "threshold_crossing_pkey" PRIMARY KEY ("bucket_id","threshold_percent")
);

-- CreateTable
CREATE TABLE "usage_record" (
    "source" TEXT NOT NULL,
    "record_id" TEXT NOT NULL,
    "subscriber_id" TEXT NOT NULL,
    "unit" SMALLINT NOT NULL,
    "quantity" BIGINT NOT NULL,
    "usage_time" TIMESTAMPTZ(3) NOT NULL,
    "province_code" TEXT NOT NULL,
    "roaming_country_code" TEXT NOT NULL,
    "ingest_time" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "usage_record_pkey" PRIMARY KEY ("source","record_id")
);

-- CreateTable
CREATE TABLE "overage" (
    "subscriber_id" TEXT NOT NULL,
    "unit" SMALLINT NOT NULL,
    "month" TEXT NOT NULL,
    "roaming_country_code" TEXT NOT NULL,
    "quantity" BIGINT NOT NULL,

    CONSTRAINT "overage_pkey" PRIMARY KEY ("subscriber_id","unit","month","roaming_country_code")
);

-- CreateTable
CREATE TABLE "roaming_trip" (
    "subscriber_id" TEXT NOT NULL,
    "country_code" TEXT NOT NULL,
    "trip_start" TIMESTAMPTZ(3) NOT NULL,
    "last_usage_time" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "roaming_trip_pkey" PRIMARY KEY ("subscriber_id","country_code")
);

-- CreateTable
CREATE TABLE "summary_sent" (
    "subscriber_id" TEXT NOT NULL,
    "summary_date" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "summary_sent_pkey" PRIMARY KEY ("subscriber_id","summary_date")
);

-- CreateTable
CREATE TABLE "ingest_request" (
    "request_id" TEXT NOT NULL,
    "response" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ingest_request_pkey" PRIMARY KEY ("request_id")
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
CREATE INDEX "product_subscriber_id_idx" ON "product"("subscriber_id");

-- CreateIndex
CREATE INDEX "allowance_subscriber_id_idx" ON "allowance"("subscriber_id");

-- CreateIndex
CREATE INDEX "bucket_subscriber_id_period_start_idx" ON "bucket"("subscriber_id", "period_start");

-- CreateIndex
CREATE INDEX "usage_record_subscriber_id_usage_time_idx" ON "usage_record"("subscriber_id", "usage_time");

-- CreateIndex
CREATE INDEX "outbox_message_published_at_id_idx" ON "outbox_message"("published_at", "id");
