-- CreateEnum
CREATE TYPE "OrderState" AS ENUM ('ACKNOWLEDGED', 'PENDING', 'HELD', 'IN_PROGRESS', 'COMPLETED', 'FAILED', 'CANCELLED');

-- CreateEnum
CREATE TYPE "SagaStep" AS ENUM ('CHECK_ELIGIBILITY', 'CHARGE', 'PROVISION', 'AWAIT_INSTALLATION', 'ACTIVATE', 'REFUND');

-- CreateEnum
CREATE TYPE "ProductStatus" AS ENUM ('ACTIVE', 'ENDED');

-- CreateTable
CREATE TABLE "order" (
    "id" TEXT NOT NULL,
    "request_id" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "subscriber_id" TEXT NOT NULL,
    "msisdn" TEXT NOT NULL,
    "province_code" TEXT NOT NULL,
    "time_zone" TEXT NOT NULL,
    "offering_code" TEXT NOT NULL,
    "offering" JSONB NOT NULL,
    "price_fen" BIGINT NOT NULL,
    "channel" TEXT NOT NULL,
    "agent_id" TEXT NOT NULL DEFAULT '',
    "campaign_id" TEXT NOT NULL DEFAULT '',
    "state" "OrderState" NOT NULL,
    "confirmation_method" TEXT NOT NULL,
    "confirmation_code_hash" TEXT,
    "confirmation_attempts" INTEGER NOT NULL DEFAULT 0,
    "confirm_expires_at" TIMESTAMPTZ(3) NOT NULL,
    "number" TEXT NOT NULL DEFAULT '',
    "number_reservation_id" TEXT NOT NULL DEFAULT '',
    "characteristics" JSONB NOT NULL DEFAULT '{}',
    "installation" JSONB,
    "work_order_id" TEXT,
    "saga_step" "SagaStep",
    "saga_attempts" INTEGER NOT NULL DEFAULT 0,
    "saga_due_at" TIMESTAMPTZ(3),
    "charge_id" TEXT,
    "product_id" TEXT,
    "failure_reason" TEXT NOT NULL DEFAULT '',
    "converts_product_id" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "order_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "order_transition" (
    "id" BIGSERIAL NOT NULL,
    "order_id" TEXT NOT NULL,
    "from_state" "OrderState",
    "to_state" "OrderState" NOT NULL,
    "reason" TEXT NOT NULL DEFAULT '',
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "order_transition_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "order_milestone" (
    "order_id" TEXT NOT NULL,
    "milestone" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "order_milestone_pkey" PRIMARY KEY ("order_id","milestone")
);

-- CreateTable
CREATE TABLE "request_record" (
    "request_id" TEXT NOT NULL,
    "operation" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "target_id" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "request_record_pkey" PRIMARY KEY ("request_id")
);

-- CreateTable
CREATE TABLE "product" (
    "id" TEXT NOT NULL,
    "subscriber_id" TEXT NOT NULL,
    "order_id" TEXT,
    "offering_code" TEXT NOT NULL,
    "offering" JSONB NOT NULL,
    "time_zone" TEXT NOT NULL,
    "start_at" TIMESTAMPTZ(3) NOT NULL,
    "end_at" TIMESTAMPTZ(3),
    "trial" BOOLEAN NOT NULL DEFAULT false,
    "status" "ProductStatus" NOT NULL,
    "end_reason" TEXT,
    "ended_at" TIMESTAMPTZ(3),
    "unsubscribe_requested" BOOLEAN NOT NULL DEFAULT false,
    "conversion_requested" BOOLEAN NOT NULL DEFAULT false,
    "expiring_announced_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "product_pkey" PRIMARY KEY ("id")
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
CREATE UNIQUE INDEX "order_request_id_key" ON "order"("request_id");

-- CreateIndex
CREATE UNIQUE INDEX "order_converts_product_id_key" ON "order"("converts_product_id");

-- CreateIndex
CREATE INDEX "order_subscriber_id_created_at_id_idx" ON "order"("subscriber_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "order_created_at_id_idx" ON "order"("created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "order_saga_due_at_idx" ON "order"("saga_due_at");

-- CreateIndex
CREATE INDEX "order_state_confirm_expires_at_idx" ON "order"("state", "confirm_expires_at");

-- CreateIndex
CREATE INDEX "order_transition_order_id_id_idx" ON "order_transition"("order_id", "id");

-- CreateIndex
CREATE UNIQUE INDEX "product_order_id_key" ON "product"("order_id");

-- CreateIndex
CREATE INDEX "product_subscriber_id_created_at_id_idx" ON "product"("subscriber_id", "created_at" DESC, "id" DESC);

-- CreateIndex
CREATE INDEX "product_status_end_at_idx" ON "product"("status", "end_at");

-- CreateIndex
CREATE INDEX "outbox_message_published_at_id_idx" ON "outbox_message"("published_at", "id");

-- AddForeignKey
ALTER TABLE "order_transition" ADD CONSTRAINT "order_transition_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "order"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "order_milestone" ADD CONSTRAINT "order_milestone_order_id_fkey" FOREIGN KEY ("order_id") REFERENCES "order"("id") ON DELETE CASCADE ON UPDATE CASCADE;
