import pg from "pg";
import { createTestDatabase } from "@omnihall/testkit";
import { onTestFinished } from "vitest";

/**
 * The SQL a Prisma migration produces from the models in packages/bus/README.md, for tests that need the
 * outbox tables without a service's schema.
 */
export const OUTBOX_TABLES_SQL = `
CREATE TABLE "outbox_message" (
    "id" TEXT NOT NULL,
    "subject" TEXT NOT NULL,
    "payload" BYTEA NOT NULL,
    "headers" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "published_at" TIMESTAMPTZ(3),
    CONSTRAINT "outbox_message_pkey" PRIMARY KEY ("id")
);
CREATE TABLE "processed_message" (
    "consumer" TEXT NOT NULL,
    "message_id" TEXT NOT NULL,
    "processed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "processed_message_pkey" PRIMARY KEY ("consumer","message_id")
);
CREATE INDEX "outbox_message_published_at_id_idx" ON "outbox_message"("published_at", "id");
`;

/**
 * A fresh database for one test holding the outbox tables plus `extraSql` (the test's own state tables), and
 * a pool on it; both go away when the test finishes.
 */
export async function outboxTestDatabase(extraSql = ""): Promise<{ url: string; pool: pg.Pool }> {
  const database = await createTestDatabase("bus");
  const pool = new pg.Pool({ connectionString: database.url, max: 5 });
  // The database is dropped WITH (FORCE) when the test ends, which kills whatever the pool still holds.
  pool.on("error", () => undefined);
  onTestFinished(() => pool.end());
  await pool.query(OUTBOX_TABLES_SQL + extraSql);
  return { url: database.url, pool };
}
