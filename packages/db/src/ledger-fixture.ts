// Test support: the made-up "ledger" service under test-fixtures, and throwaway databases for it.
import { cp, mkdir, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { uniqueSuffix } from "@omnihall/testkit";
import { inject, onTestFinished } from "vitest";
import { databaseUrlFor } from "./database-urls.js";
import { dropDatabase } from "./databases.js";

export const ledgerDir = fileURLToPath(new URL("../test-fixtures/ledger/", import.meta.url));

export const ledger = {
  schemaPath: path.join(ledgerDir, "prisma", "schema.prisma"),
  migrationsDir: path.join(ledgerDir, "prisma", "migrations"),
};

export const LEDGER_MIGRATIONS = ["20261101080000_init", "20261102080000_apply_entries"];

/**
 * A copy of the ledger service a test may change, removed when the test ends. It sits inside the repository so
 * its prisma.config.ts can import @omnihall/db.
 */
export async function copyLedger(options: { withMigrations: boolean }) {
  const dir = fileURLToPath(new URL(`../.tmp/${uniqueSuffix()}/ledger/`, import.meta.url));
  await mkdir(dir, { recursive: true });
  await cp(path.join(ledgerDir, "prisma.config.ts"), path.join(dir, "prisma.config.ts"));
  await cp(ledger.schemaPath, path.join(dir, "prisma", "schema.prisma"));
  if (options.withMigrations)
    await cp(ledger.migrationsDir, path.join(dir, "prisma", "migrations"), { recursive: true });
  onTestFinished(() => rm(path.dirname(dir), { recursive: true, force: true }));
  return {
    dir,
    schemaPath: path.join(dir, "prisma", "schema.prisma"),
    migrationsDir: path.join(dir, "prisma", "migrations"),
  };
}

/** The URL of a database that does not exist yet, dropped when the test ends. */
export function freshDatabaseUrl(prefix: string): string {
  const adminUrl = inject("postgresUrl");
  const name = `t_${prefix}_${uniqueSuffix()}`;
  onTestFinished(() => dropDatabase(adminUrl, name));
  return databaseUrlFor(adminUrl, name);
}
