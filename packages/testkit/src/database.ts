import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject, onTestFinished } from "vitest";
import "./provided-context.js";

/** A URL for a database on the same server as baseUrl. */
export function databaseUrl(baseUrl: string, database: string): string {
  const url = new URL(baseUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

/** Runs one statement on the test server's maintenance database. */
export async function adminQuery(sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: inject("postgresUrl") });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/**
 * Creates an empty database with a unique name for one test (or one file) and drops it when that test
 * finishes, so tests run in parallel and in any order. Pass `template` to copy a prepared database.
 */
export async function createTestDatabase(prefix: string, options: { template?: string; keep?: boolean } = {}) {
  const name = `t_${prefix.replace(/[^a-z0-9_]/gi, "_").toLowerCase()}_${randomBytes(5).toString("hex")}`;
  await adminQuery(`CREATE DATABASE "${name}"${options.template ? ` TEMPLATE "${options.template}"` : ""}`);
  const drop = () => adminQuery(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  if (!options.keep) onTestFinished(drop);
  return { name, url: databaseUrl(inject("postgresUrl"), name), drop };
}

/** Unique suffix for ids, stream names and subjects a test creates. */
export function uniqueSuffix(): string {
  return randomBytes(4).toString("hex");
}
