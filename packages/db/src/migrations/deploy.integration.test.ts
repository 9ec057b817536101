import { createHash } from "node:crypto";
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { withClient } from "../databases.js";
import { copyLedger, freshDatabaseUrl, ledger, LEDGER_MIGRATIONS } from "../ledger-fixture.js";
import { migrateDeploy, migrateWhenAsked } from "./deploy.js";
import { MigrationError } from "./schema-engine.js";

interface MigrationRow {
  migration_name: string;
  checksum: string;
  finished_at: Date | null;
  rolled_back_at: Date | null;
  applied_steps_count: number;
  logs: string | null;
}

function migrationRows(databaseUrl: string): Promise<MigrationRow[]> {
  return withClient(databaseUrl, async (client) => {
    const result = await client.query<MigrationRow>(
      `SELECT migration_name, checksum, finished_at, rolled_back_at, applied_steps_count, logs
         FROM _prisma_migrations ORDER BY started_at, migration_name`,
    );
    return result.rows;
  });
}

async function sha256OfMigration(migrationsDir: string, name: string): Promise<string> {
  const script = await readFile(path.join(migrationsDir, name, "migration.sql"));
  return createHash("sha256").update(script).digest("hex");
}

describe("migrateDeploy", () => {
  it("creates the database, applies every migration in order and records Prisma's checksums", async () => {
    const databaseUrl = freshDatabaseUrl("deploy");

    expect(await migrateDeploy({ ...ledger, databaseUrl })).toEqual(LEDGER_MIGRATIONS);

    const rows = await migrationRows(databaseUrl);
    expect(rows.map((row) => row.migration_name)).toEqual(LEDGER_MIGRATIONS);
    for (const row of rows) {
      expect(row.checksum).toBe(await sha256OfMigration(ledger.migrationsDir, row.migration_name));
      expect(row.finished_at).toBeInstanceOf(Date);
      expect(row.applied_steps_count).toBe(1);
    }
  });

  it("builds a working schema: uuid, jsonb, bigint, text[], the plpgsql trigger and the CHECK constraint", async () => {
    const databaseUrl = freshDatabaseUrl("deploy_schema");
    await migrateDeploy({ ...ledger, databaseUrl });

    await withClient(databaseUrl, async (client) => {
      const account = await client.query<{ id: string }>(
        `INSERT INTO accounts (id, owner_id, profile, tags) VALUES (gen_random_uuid(), 'cus_1', '{"tier":"gold"}', '{vip}')
         RETURNING id`,
      );
      const accountId = account.rows[0]!.id;
      await client.query(
        `INSERT INTO entries (id, account_id, amount_fen, request_id) VALUES (gen_random_uuid(), $1, 9007199254740993, 'r1')`,
        [accountId],
      );
      const balance = await client.query("SELECT balance_fen::text, profile->>'tier' AS tier, tags FROM accounts");
      expect(balance.rows[0]).toEqual({ balance_fen: "9007199254740993", tier: "gold", tags: ["vip"] });
      await expect(
        client.query(
          `INSERT INTO entries (id, account_id, amount_fen, request_id) VALUES (gen_random_uuid(), $1, 0, 'r2')`,
          [accountId],
        ),
      ).rejects.toThrow(/entries_amount_fen_nonzero/);
      await expect(
        client.query(
          `INSERT INTO entries (id, account_id, amount_fen, request_id) VALUES (gen_random_uuid(), $1, 5, 'r1')`,
          [accountId],
        ),
      ).rejects.toThrow(/entries_account_id_request_id_key/);
    });
  });

  it("runs from a service's main only when asked (`node dist/main.js migrate`, the deployment's init step)", async () => {
    const databaseUrl = freshDatabaseUrl("deploy_when_asked");
    expect(await migrateWhenAsked({ ...ledger, databaseUrl }, ["node", "dist/main.js"])).toBe(false);
    await expect(migrationRows(databaseUrl)).rejects.toThrow(/does not exist/);

    expect(await migrateWhenAsked({ ...ledger, databaseUrl }, ["node", "dist/main.js", "migrate"])).toBe(true);
    expect((await migrationRows(databaseUrl)).map((row) => row.migration_name)).toEqual(LEDGER_MIGRATIONS);
  });

  it("applies nothing and changes nothing when run again", async () => {
    const databaseUrl = freshDatabaseUrl("deploy_again");
    await migrateDeploy({ ...ledger, databaseUrl });
    const before = await migrationRows(databaseUrl);

    expect(await migrateDeploy({ ...ledger, databaseUrl })).toEqual([]);
    expect(await migrationRows(databaseUrl)).toEqual(before);
  });

  it("applies only the migrations added since the last deploy", async () => {
    const copy = await copyLedger({ withMigrations: true });
    const databaseUrl = freshDatabaseUrl("deploy_more");
    await migrateDeploy({ ...copy, databaseUrl });
    await mkdir(path.join(copy.migrationsDir, "20261103080000_add_note"));
    await writeFile(
      path.join(copy.migrationsDir, "20261103080000_add_note", "migration.sql"),
      `ALTER TABLE "accounts" ADD COLUMN "note" TEXT;\n`,
    );

    expect(await migrateDeploy({ ...copy, databaseUrl })).toEqual(["20261103080000_add_note"]);
  });

  it("lets two concurrent deploys take turns: each migration is applied exactly once", async () => {
    const databaseUrl = freshDatabaseUrl("deploy_race");

    const [first, second] = await Promise.all([
      migrateDeploy({ ...ledger, databaseUrl }),
      migrateDeploy({ ...ledger, databaseUrl }),
    ]);

    expect([...first, ...second].sort()).toEqual(LEDGER_MIGRATIONS);
    expect((await migrationRows(databaseUrl)).map((row) => row.migration_name)).toEqual(LEDGER_MIGRATIONS);
  });

  it("rolls a failing migration file back as a whole, records the failure and then refuses (P3009)", async () => {
    const copy = await copyLedger({ withMigrations: true });
    const databaseUrl = freshDatabaseUrl("deploy_fail");
    const broken = "20261103080000_broken";
    await mkdir(path.join(copy.migrationsDir, broken));
    await writeFile(
      path.join(copy.migrationsDir, broken, "migration.sql"),
      `CREATE TABLE "audit" ("id" BIGINT PRIMARY KEY);\nALTER TABLE "no_such_table" ADD COLUMN "x" TEXT;\n`,
    );

    const failure = await migrateDeploy({ ...copy, databaseUrl }).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(MigrationError);
    expect((failure as MigrationError).message).toMatch(/^external connector error\nNo such table: no_such_table$/);

    const rows = await migrationRows(databaseUrl);
    expect(rows.map((row) => [row.migration_name, row.finished_at === null])).toEqual([
      [LEDGER_MIGRATIONS[0], false],
      [LEDGER_MIGRATIONS[1], false],
      [broken, true],
    ]);
    expect(rows[2]!.logs).toMatch(/no_such_table/);
    const audit = await withClient(databaseUrl, (client) => client.query("SELECT to_regclass('audit') AS audit"));
    expect(audit.rows[0].audit).toBeNull();

    // Even with the file fixed, a failed migration must be resolved by a person first.
    await writeFile(path.join(copy.migrationsDir, broken, "migration.sql"), `CREATE TABLE "audit" ("id" BIGINT);\n`);
    await expect(migrateDeploy({ ...copy, databaseUrl })).rejects.toMatchObject({
      code: "P3009",
      message: expect.stringContaining(`The \`${broken}\` migration started at`),
    });
  });
});
