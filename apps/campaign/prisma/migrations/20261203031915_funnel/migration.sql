-- CreateTable
CREATE TABLE "funnel_interaction" (
    "channel" TEXT NOT NULL,
    "client_event_id" TEXT NOT NULL,
    "campaign_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "subscriber_id" TEXT,
    "occur_time" TIMESTAMPTZ(3) NOT NULL,
    "create_time" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "funnel_interaction_pkey" PRIMARY KEY ("channel","client_event_id")
);

-- CreateTable
CREATE TABLE "funnel_contact" (
    "campaign_id" TEXT NOT NULL,
    "subscriber_id" TEXT NOT NULL,
    "first_contact_time" TIMESTAMPTZ(3) NOT NULL,
    "last_contact_time" TIMESTAMPTZ(3) NOT NULL,
    "last_channel" TEXT NOT NULL,

    CONSTRAINT "funnel_contact_pkey" PRIMARY KEY ("campaign_id","subscriber_id")
);

-- CreateTable
CREATE TABLE "funnel_order" (
    "order_id" TEXT NOT NULL,
    "campaign_id" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "subscriber_id" TEXT NOT NULL,
    "outcome" TEXT NOT NULL,
    "price_fen" BIGINT NOT NULL,
    "charge_id" TEXT,
    "refunded_fen" BIGINT NOT NULL DEFAULT 0,
    "update_time" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "funnel_order_pkey" PRIMARY KEY ("order_id")
);

-- CreateTable
CREATE TABLE "funnel_conversion" (
    "campaign_id" TEXT NOT NULL,
    "subscriber_id" TEXT NOT NULL,
    "lift" TEXT NOT NULL,
    "order_id" TEXT NOT NULL,
    "convert_time" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "funnel_conversion_pkey" PRIMARY KEY ("campaign_id","subscriber_id")
);

-- CreateTable
CREATE TABLE "funnel_opt_out" (
    "campaign_id" TEXT NOT NULL,
    "consent_record_id" TEXT NOT NULL,
    "subscriber_id" TEXT NOT NULL,
    "channel" TEXT NOT NULL,
    "opt_out_time" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "funnel_opt_out_pkey" PRIMARY KEY ("campaign_id","consent_record_id")
);

-- CreateIndex
CREATE INDEX "funnel_interaction_campaign_id_channel_kind_idx" ON "funnel_interaction"("campaign_id", "channel", "kind");

-- CreateIndex
CREATE INDEX "funnel_contact_subscriber_id_last_contact_time_idx" ON "funnel_contact"("subscriber_id", "last_contact_time");

-- CreateIndex
CREATE INDEX "funnel_order_campaign_id_channel_idx" ON "funnel_order"("campaign_id", "channel");

-- CreateIndex
CREATE INDEX "funnel_order_charge_id_idx" ON "funnel_order"("charge_id");
