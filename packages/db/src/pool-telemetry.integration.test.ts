import { scrapeMetrics } from "@omnihall/telemetry";
import { collectSpans } from "@omnihall/telemetry/testing";
import { describe, expect, it, onTestFinished } from "vitest";
import { PrismaClient } from "../test-fixtures/ledger/src/generated/prisma/client.js";
import { databaseNameOf } from "./database-urls.js";
import { ledgerDir } from "./ledger-fixture.js";
import { createPrismaClient } from "./prisma-client.js";
import { migratedTestDatabase } from "./testing.js";

describe("a service's database pool", () => {
  it("reports its connections by state while open, and nothing once disconnected", async () => {
    const database = await migratedTestDatabase(ledgerDir);
    const name = databaseNameOf(database.url);
    const db = createPrismaClient(PrismaClient, database.url, { poolSize: 3 });

    // Hold one connection in a transaction while the metrics are read.
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const transaction = db.$transaction(async (tx) => {
      await tx.$queryRaw`SELECT 1`;
      await held;
    });
    await expect
      .poll(async () => scrapeMetrics())
      .toContain(`omnihall_db_pool_connections{database="${name}",state="busy"} 1`);
    const during = await scrapeMetrics();
    expect(during).toContain(`omnihall_db_pool_max_connections{database="${name}"} 3`);
    expect(during).toContain(`omnihall_db_pool_waiting_requests{database="${name}"} 0`);
    release();
    await transaction;

    await db.$disconnect();
    expect(await scrapeMetrics()).not.toContain(`database="${name}"`);
  });

  it("traces each query as a span of the work that ran it", async () => {
    const collected = collectSpans();
    onTestFinished(() => collected.stop());
    const database = await migratedTestDatabase(ledgerDir);
    const db = createPrismaClient(PrismaClient, database.url);
    onTestFinished(() => db.$disconnect());

    await db.account.create({ data: { ownerId: "cus_traced" } });

    const name = databaseNameOf(database.url);
    const insert = collected.spans().find((span) => span.name === `INSERT ${name}`);
    expect(insert?.attributes).toMatchObject({
      "db.system.name": "postgresql",
      "db.namespace": name,
      "db.query.text": expect.stringContaining("INSERT INTO"),
    });
  });
});
