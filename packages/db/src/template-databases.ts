import pg from "pg";
import { databaseUrlFor } from "./database-urls.js";
import { databaseExists, dropDatabase, withClient } from "./databases.js";
import { migrateDeploy } from "./migrations/deploy.js";
import { migrationsDigest, readMigrationList } from "./migrations/migration-files.js";

export interface TemplateSource {
  /** Names the template (a service name); any characters, shortened to fit. */
  label: string;
  schemaPath: string;
  migrationsDir: string;
}

/** Templates this process has made sure of, by server and name. */
const templatesReady = new Map<string, Promise<string>>();

/**
 * The name of a database on adminUrl's server with all of source's migrations applied, for CREATE DATABASE …
 * TEMPLATE. Named after the migrations' digest, so it is built once per migration history and reused by every
 * later test file and test run.
 */
export async function migratedTemplate(adminUrl: string, source: TemplateSource): Promise<string> {
  const digest = migrationsDigest(await readMigrationList(source.migrationsDir)).slice(0, 16);
  const name = `omnihall_tpl_${source.label
    .replace(/[^a-z0-9]/gi, "_")
    .toLowerCase()
    .slice(0, 24)}_${digest}`;
  const key = `${adminUrl} ${name}`;
  let ready = templatesReady.get(key);
  if (!ready) {
    ready = buildTemplate(adminUrl, name, source).then(() => name);
    templatesReady.set(key, ready);
    ready.catch(() => templatesReady.delete(key));
  }
  return ready;
}

/**
 * Builds the template unless it exists. Test files run in parallel worker processes, so an advisory lock decides
 * which one builds; the others wait and find it built. It is built under another name and renamed when complete,
 * so a run that dies half-way leaves nothing that looks like a usable template.
 */
export async function buildTemplate(adminUrl: string, name: string, source: TemplateSource): Promise<void> {
  await withClient(adminUrl, async (client) => {
    await client.query("SELECT pg_advisory_lock($1, hashtext($2))", [TEMPLATE_LOCK_CLASS, name]);
    try {
      if (await databaseExists(adminUrl, name)) return;
      const building = `${name}_wip`;
      await dropDatabase(adminUrl, building);
      await migrateDeploy({ ...source, databaseUrl: databaseUrlFor(adminUrl, building), adminUrl });
      await client.query(`ALTER DATABASE ${pg.escapeIdentifier(building)} RENAME TO ${pg.escapeIdentifier(name)}`);
    } finally {
      await client.query("SELECT pg_advisory_unlock($1, hashtext($2))", [TEMPLATE_LOCK_CLASS, name]);
    }
  });
}

/** First key of the two-key advisory locks guarding template builds ("tmpl" in ASCII). */
const TEMPLATE_LOCK_CLASS = 0x746d706c;
