-- CreateTable
CREATE TABLE "accounts" (
    "id" UUID NOT NULL,
    "owner_id" TEXT NOT NULL,
    "balance_fen" BIGINT NOT NULL DEFAULT 0,
    "profile" JSONB NOT NULL DEFAULT '{}',
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "create_time" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "accounts_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "entries" (
    "id" UUID NOT NULL,
    "account_id" UUID NOT NULL,
    "amount_fen" BIGINT NOT NULL,
    "request_id" TEXT NOT NULL,
    "create_time" TIMESTAMPTZ(6) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "entries_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "accounts_owner_id_key" ON "accounts"("owner_id");

-- CreateIndex
CREATE INDEX "entries_account_id_create_time_idx" ON "entries"("account_id", "create_time");

-- CreateIndex
CREATE UNIQUE INDEX "entries_account_id_request_id_key" ON "entries"("account_id", "request_id");

-- AddForeignKey
ALTER TABLE "entries" ADD CONSTRAINT "entries_account_id_fkey" FOREIGN KEY ("account_id") REFERENCES "accounts"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
