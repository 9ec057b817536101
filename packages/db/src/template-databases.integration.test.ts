import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { uniqueSuffix } from "@omnihall/testkit";
import { describe, expect, inject, it, onTestFinished } from "vitest";
import { databaseUrlFor } from "./database-urls.js";
import { databaseExists, dropDatabase, withClient } from "./databases.js";
import { copyLedger, ledger, LEDGER_MIGRATIONS } from "./ledger-fixture.js";
import { buildTemplate, migratedTemplate } from "./template-databases.js";
import { migratedTestDatabase } from "./testing.js";

const adminUrl = () => inject("postgresUrl");

function appliedMigrations(databaseUrl: string): Promise<string[]> {
  return withClient(databaseUrl, async (client) => {
    const result = await client.query("SELECT migration_name FROM _prisma_migrations ORDER BY migration_name");
    return result.rows.map((row: { migration_name: string }) => row.migration_name);
  });
}

function dropAfterTest(name: string) {
  onTestFinished(() => dropDatabase(adminUrl(), name));
}

describe("buildTemplate", () => {
  it("builds once when several processes ask at the same time", async () => {
    const name = `omnihall_tpl_race_${uniqueSuffix()}`;
    dropAfterTest(name);
    const source = { label: "race", ...ledger };

    await Promise.all([1, 2, 3].map(() => buildTemplate(adminUrl(), name, source)));

    expect(await appliedMigrations(databaseUrlFor(adminUrl(), name))).toEqual(LEDGER_MIGRATIONS);
    expect(await databaseExists(adminUrl(), `${name}_wip`)).toBe(false);
  });

  it("leaves an existing template alone", async () => {
    const name = `omnihall_tpl_kept_${uniqueSuffix()}`;
    dropAfterTest(name);
    await buildTemplate(adminUrl(), name, { label: "kept", ...ledger });
    await withClient(databaseUrlFor(adminUrl(), name), (client) => client.query("CREATE TABLE marker (id int)"));

    await buildTemplate(adminUrl(), name, { label: "kept", ...ledger });

    const marker = await withClient(databaseUrlFor(adminUrl(), name), (client) =>
      client.query("SELECT to_regclass('marker') AS marker"),
    );
    expect(marker.rows[0].marker).toBe("marker");
  });
});

describe("migratedTemplate", () => {
  it("names the template after the migrations, so a new migration gets a new template", async () => {
    const service = await copyLedger({ withMigrations: true });
    const label = `ledger_${uniqueSuffix()}`;
    const before = await migratedTemplate(adminUrl(), { label, ...service });
    dropAfterTest(before);
    await mkdir(path.join(service.migrationsDir, "20261103080000_add_note"));
    await writeFile(
      path.join(service.migrationsDir, "20261103080000_add_note", "migration.sql"),
      `ALTER TABLE "accounts" ADD COLUMN "note" TEXT;\n`,
    );

    const after = await migratedTemplate(adminUrl(), { label, ...service });
    dropAfterTest(after);

    expect(before).toMatch(new RegExp(`^omnihall_tpl_${label}_[0-9a-f]{16}$`));
    expect(after).not.toBe(before);
    expect(await appliedMigrations(databaseUrlFor(adminUrl(), after))).toEqual([
      ...LEDGER_MIGRATIONS,
      "20261103080000_add_note",
    ]);
  });
});

describe("migratedTestDatabase", () => {
  it("hands out separate, fully migrated databases", async () => {
    const [first, second] = await Promise.all([migratedTestDatabase(ledger), migratedTestDatabase(ledger)]);

    expect(first.name).not.toBe(second.name);
    expect(await appliedMigrations(first.url)).toEqual(LEDGER_MIGRATIONS);
    await withClient(first.url, (client) =>
      client.query(`INSERT INTO accounts (id, owner_id) VALUES (gen_random_uuid(), 'c1')`),
    );
    const count = await withClient(second.url, (client) => client.query("SELECT count(*)::int AS n FROM accounts"));
    expect(count.rows[0].n).toBe(0);
  });

  it("drops its database when the test ends, unless told to keep it", async () => {
    const kept = await migratedTestDatabase(ledger, { keep: true });
    onTestFinished(async () => {
      expect(await databaseExists(adminUrl(), kept.name)).toBe(true);
      await kept.drop();
      expect(await databaseExists(adminUrl(), kept.name)).toBe(false);
    });
  });
});
