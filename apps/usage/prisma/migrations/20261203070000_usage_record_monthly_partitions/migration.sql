-- usage_record becomes PARTITION BY RANGE (usage_time), one partition per calendar month in UTC, named
-- usage_record_pYYYYMM, so that retention drops a whole month instead of DELETEing rows one by one. Prisma's schema
-- cannot say PARTITION BY, hence this hand-written migration; the model in schema.prisma matches the parent table.
--
-- PostgreSQL requires the partition key in every unique index of a partitioned table, so the primary key (the
-- ingest's dedupe: INSERT … ON CONFLICT DO NOTHING) becomes (source, record_id, usage_time). A resent CDR is the
-- same record with the same usage_time, so it still meets its first copy here; a record resent with a different
-- usage_time would now count twice (see README, "Usage records by month").
--
-- The rows are copied into the new table: the old one cannot become a partition as it is (it spans months, and
-- its primary key lacks usage_time). Each month holding rows gets its partition here; the service makes the
-- months around "now" when it starts (src/records/usage-partitions.ts), and a DEFAULT partition takes a record
-- for any month without one, so no record is ever refused for its month.

ALTER TABLE "usage_record" RENAME TO "usage_record_unpartitioned";
ALTER TABLE "usage_record_unpartitioned" RENAME CONSTRAINT "usage_record_pkey" TO "usage_record_unpartitioned_pkey";
ALTER INDEX "usage_record_subscriber_id_usage_time_idx" RENAME TO "usage_record_unpartitioned_subscriber_id_usage_time_idx";

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

    CONSTRAINT "usage_record_pkey" PRIMARY KEY ("source","record_id","usage_time")
) PARTITION BY RANGE ("usage_time");

CREATE INDEX "usage_record_subscriber_id_usage_time_idx" ON "usage_record"("subscriber_id", "usage_time");

CREATE TABLE "usage_record_default" PARTITION OF "usage_record" DEFAULT;

DO $$
DECLARE
  month timestamp;
BEGIN
  FOR month IN
    SELECT DISTINCT date_trunc('month', "usage_time" AT TIME ZONE 'UTC') FROM "usage_record_unpartitioned"
  LOOP
    EXECUTE format(
      'CREATE TABLE %I PARTITION OF "usage_record" FOR VALUES FROM (%L) TO (%L)',
      'usage_record_p' || to_char(month, 'YYYYMM'),
      month AT TIME ZONE 'UTC',
      (month + interval '1 month') AT TIME ZONE 'UTC'
    );
  END LOOP;
END
$$;

INSERT INTO "usage_record" ("source", "record_id", "subscriber_id", "unit", "quantity", "usage_time", "province_code",
                            "roaming_country_code", "ingest_time")
SELECT "source", "record_id", "subscriber_id", "unit", "quantity", "usage_time", "province_code",
       "roaming_country_code", "ingest_time"
  FROM "usage_record_unpartitioned";

DROP TABLE "usage_record_unpartitioned";
