-- CreateTable
CREATE TABLE "account_opening" (
    "id" TEXT NOT NULL,
    "request_id" TEXT NOT NULL,
    "fingerprint" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "failure_reason" TEXT NOT NULL DEFAULT '',
    "subscriber_id" TEXT NOT NULL DEFAULT '',
    "number" TEXT NOT NULL,
    "iccid" TEXT NOT NULL,
    "plan_code" TEXT NOT NULL,
    "holder_name" TEXT NOT NULL,
    "id_number" TEXT NOT NULL,
    "address" TEXT NOT NULL,
    "province_code" TEXT NOT NULL,
    "city" TEXT NOT NULL,
    "agent_id" TEXT NOT NULL DEFAULT '',
    "channel" TEXT NOT NULL,
    "number_reservation_id" TEXT NOT NULL DEFAULT '',
    "number_fee_fen" BIGINT NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "account_opening_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "account_opening_photo" (
    "opening_id" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "content" BYTEA NOT NULL,

    CONSTRAINT "account_opening_photo_pkey" PRIMARY KEY ("opening_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "account_opening_request_id_key" ON "account_opening"("request_id");

-- CreateIndex
CREATE INDEX "account_opening_agent_id_created_at_idx" ON "account_opening"("agent_id", "created_at");

-- AddForeignKey
ALTER TABLE "account_opening_photo" ADD CONSTRAINT "account_opening_photo_opening_id_fkey" FOREIGN KEY ("opening_id") REFERENCES "account_opening"("id") ON DELETE CASCADE ON UPDATE CASCADE;
