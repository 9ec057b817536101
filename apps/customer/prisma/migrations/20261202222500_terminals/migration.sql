-- CreateTable
CREATE TABLE "terminal" (
    "terminal_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "shop_id" TEXT NOT NULL,
    "province_code" TEXT NOT NULL,
    "city" TEXT NOT NULL,
    "location" TEXT NOT NULL,
    "software_version" TEXT NOT NULL,
    "devices" JSONB NOT NULL DEFAULT '[]',
    "faulty" BOOLEAN NOT NULL DEFAULT false,
    "last_heartbeat_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "terminal_pkey" PRIMARY KEY ("terminal_id")
);

-- CreateTable
CREATE TABLE "subscriber_id_document" (
    "document_hash" TEXT NOT NULL,
    "subscriber_id" TEXT NOT NULL,

    CONSTRAINT "subscriber_id_document_pkey" PRIMARY KEY ("document_hash","subscriber_id")
);

-- CreateIndex
CREATE INDEX "terminal_province_code_id_idx" ON "terminal"("province_code", "terminal_id");
