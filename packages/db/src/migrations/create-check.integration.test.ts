import { appendFile, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { uniqueSuffix } from "@omnihall/testkit";
import pg from "pg";
import { describe, expect, inject, it, onTestFinished } from "vitest";
import { withClient } from "../databases.js";
import { copyLedger, freshDatabaseUrl, ledger } from "../ledger-fixture.js";
import { checkMigrations } from "./check.js";
import { createMigration } from "./create.js";
import { migrateDeploy } from "./deploy.js";

const adminUrl = () => inject("postgresUrl");

async function addNicknameToAccounts(schemaPath: string) {
  const schema = await readFile(schemaPath, "utf8");
  await writeFile(schemaPath, schema.replace("  ownerId    String", "  nickname   String?\n  ownerId    String"));
}

describe("createMigration", () => {
  it("writes the first migration and its lockfile from the schema, then nothing while the schema is unchanged", async () => {
    const service = await copyLedger({ withMigrations: false });

    const created = await createMigration({
      ...service,
      name: "init",
      adminUrl: adminUrl(),
      now: new Date("2026-11-22T09:30:05Z"),
    });

    expect(created?.name).toBe("20261122093005_init");
    expect(await readdir(service.migrationsDir)).toEqual(["20261122093005_init", "migration_lock.toml"]);
    const script = await readFile(path.join(service.migrationsDir, "20261122093005_init", "migration.sql"), "utf8");
    expect(script).toBe(created?.script);
    expect(script).toContain('CREATE TABLE "accounts"');
    expect(script).toContain('CREATE UNIQUE INDEX "entries_account_id_request_id_key"');
    expect(await readFile(path.join(service.migrationsDir, "migration_lock.toml"), "utf8")).toContain(
      'provider = "postgresql"',
    );

    expect(await createMigration({ ...service, name: "again", adminUrl: adminUrl() })).toBeUndefined();
    expect(await readdir(service.migrationsDir)).toHaveLength(2);
  });

  it("captures a schema change in the next migration, which deploys", async () => {
    const service = await copyLedger({ withMigrations: true });
    const databaseUrl = freshDatabaseUrl("create");
    await migrateDeploy({ ...service, databaseUrl });
    await addNicknameToAccounts(service.schemaPath);

    const created = await createMigration({ ...service, name: "add_nickname", adminUrl: adminUrl() });

    expect(created?.name).toMatch(/^\d{14}_add_nickname$/);
    expect(created?.script).toContain('ALTER TABLE "accounts" ADD COLUMN     "nickname" TEXT;');
    expect(await migrateDeploy({ ...service, databaseUrl })).toEqual([created?.name]);
  });

  it("explains why it could not make a shadow database", async () => {
    // Same password as the admin (if the test server asks for one), but no right to create databases.
    const asRole = new URL(adminUrl());
    asRole.username = `t_no_createdb_${uniqueSuffix()}`;
    const password = asRole.password ? pg.escapeLiteral(decodeURIComponent(asRole.password)) : "NULL";
    await withClient(adminUrl(), async (client) => {
      await client.query(`CREATE ROLE ${asRole.username} LOGIN NOCREATEDB PASSWORD ${password}`);
    });
    onTestFinished(async () => {
      await withClient(adminUrl(), (client) => client.query(`DROP ROLE ${asRole.username}`));
    });

    await expect(createMigration({ ...ledger, name: "x", adminUrl: asRole.toString() })).rejects.toThrow(
      /^Failed to connect to the shadow database\npermission denied to create database$/,
    );
  });

  it("refuses a name that is not snake_case", async () => {
    await expect(createMigration({ ...ledger, name: "Add Nickname", adminUrl: adminUrl() })).rejects.toThrow(
      /snake_case/,
    );
  });
});

describe("checkMigrations", () => {
  it("finds nothing wrong with the fixture, deployed or not", async () => {
    const databaseUrl = freshDatabaseUrl("check");
    expect(await checkMigrations({ ...ledger, adminUrl: adminUrl(), databaseUrl })).toEqual([]);
    await migrateDeploy({ ...ledger, databaseUrl });
    expect(await checkMigrations({ ...ledger, adminUrl: adminUrl(), databaseUrl })).toEqual([]);
  });

  it("reads a schema split over several files in a folder", async () => {
    const service = await copyLedger({ withMigrations: true });
    const schema = await readFile(service.schemaPath, "utf8");
    const models = schema.indexOf("model Account");
    const folder = path.join(service.dir, "prisma", "schema");
    await mkdir(folder);
    await writeFile(path.join(folder, "main.prisma"), schema.slice(0, models));
    await writeFile(path.join(folder, "ledger.prisma"), schema.slice(models));

    expect(await checkMigrations({ ...service, schemaPath: folder, adminUrl: adminUrl() })).toEqual([]);
    await addNicknameToAccounts(path.join(folder, "ledger.prisma"));
    expect(await checkMigrations({ ...service, schemaPath: folder, adminUrl: adminUrl() })).toEqual([
      expect.objectContaining({ kind: "missing-migration" }),
    ]);
  });

  it("reports a schema change no migration captures, with the SQL it needs", async () => {
    const service = await copyLedger({ withMigrations: true });
    await addNicknameToAccounts(service.schemaPath);

    const problems = await checkMigrations({ ...service, adminUrl: adminUrl() });

    expect(problems).toEqual([
      expect.objectContaining({ kind: "missing-migration", sql: expect.stringContaining('"nickname" TEXT') }),
    ]);
  });

  it("reports an applied migration edited afterwards (its checksum no longer matches)", async () => {
    const service = await copyLedger({ withMigrations: true });
    const databaseUrl = freshDatabaseUrl("check_edit");
    await migrateDeploy({ ...service, databaseUrl });
    await appendFile(path.join(service.migrationsDir, "20261101080000_init", "migration.sql"), "\n-- tweak\n");

    const problems = await checkMigrations({ ...service, adminUrl: adminUrl(), databaseUrl });

    expect(problems).toEqual([expect.objectContaining({ kind: "edited-migration", migration: "20261101080000_init" })]);
  });

  it("reports a migration that failed in the database", async () => {
    const service = await copyLedger({ withMigrations: true });
    const databaseUrl = freshDatabaseUrl("check_failed");
    await migrateDeploy({ ...service, databaseUrl });
    await withClient(databaseUrl, (client) =>
      client.query(`INSERT INTO accounts (id, owner_id) VALUES (gen_random_uuid(), 'cus_1')`),
    );
    // Fine on an empty database, so it replays on the shadow; the existing account (balance 0) breaks it here.
    await writeMigrationFile(
      service.migrationsDir,
      "20261103080000_positive_balances",
      `ALTER TABLE "accounts" ADD CONSTRAINT "positive" CHECK ("balance_fen" > 0);\n`,
    );
    await expect(migrateDeploy({ ...service, databaseUrl })).rejects.toThrow(/positive/);

    const problems = await checkMigrations({ ...service, adminUrl: adminUrl(), databaseUrl });

    expect(problems).toEqual([
      expect.objectContaining({ kind: "failed-migration", migration: "20261103080000_positive_balances" }),
    ]);
  });

  it("reports a migration the database has but the folder lost", async () => {
    const service = await copyLedger({ withMigrations: true });
    const databaseUrl = freshDatabaseUrl("check_lost");
    await migrateDeploy({ ...service, databaseUrl });
    await rm(path.join(service.migrationsDir, "20261102080000_apply_entries"), { recursive: true });

    const problems = await checkMigrations({ ...service, adminUrl: adminUrl(), databaseUrl });

    expect(problems).toEqual([
      expect.objectContaining({ kind: "unknown-migration", migration: "20261102080000_apply_entries" }),
    ]);
  });

  it("reports a migration that does not apply to an empty database", async () => {
    const service = await copyLedger({ withMigrations: true });
    await writeMigrationFile(service.migrationsDir, "20261103080000_broken", `SELECT * FROM "no_such_table";\n`);

    const problems = await checkMigrations({ ...service, adminUrl: adminUrl() });

    expect(problems).toEqual([
      expect.objectContaining({
        kind: "broken-migration",
        message: expect.stringMatching(/20261103080000_broken[^]*no_such_table/),
      }),
    ]);
  });
});

async function writeMigrationFile(migrationsDir: string, name: string, script: string) {
  await mkdir(path.join(migrationsDir, name));
  await writeFile(path.join(migrationsDir, name, "migration.sql"), script);
}
