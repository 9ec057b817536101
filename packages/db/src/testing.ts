import path from "node:path";
import { fileURLToPath } from "node:url";
import { createTestDatabase } from "@omnihall/testkit";
import { inject } from "vitest";
import { migratedTemplate, type TemplateSource } from "./template-databases.js";

/** A service folder (holding prisma/schema.prisma and prisma/migrations), or the two paths themselves. */
export type MigratedSchema = string | URL | { schemaPath: string; migrationsDir: string };

/**
 * A fresh database with all of a service's migrations applied, dropped when the test ends (pass keep to drop it
 * yourself, e.g. when made in beforeAll). Returns testkit's `{ name, url, drop }`.
 *
 *     const db = await migratedTestDatabase(new URL("../..", import.meta.url)); // in apps/<service>/src/<area>/
 *
 * Fast: the migrations run once into a template database (see migratedTemplate), which every call copies.
 */
export async function migratedTestDatabase(schema: MigratedSchema, options: { keep?: boolean } = {}) {
  const source = templateSource(schema);
  const template = await migratedTemplate(inject("postgresUrl"), source);
  return createTestDatabase(source.label, { template, keep: options.keep });
}

function templateSource(schema: MigratedSchema): TemplateSource {
  if (typeof schema === "object" && !(schema instanceof URL)) {
    // <service>/prisma/schema.prisma
    return { label: path.basename(path.dirname(path.dirname(path.resolve(schema.schemaPath)))), ...schema };
  }
  const serviceDir = schema instanceof URL ? fileURLToPath(schema) : path.resolve(schema);
  return {
    label: path.basename(serviceDir),
    schemaPath: path.join(serviceDir, "prisma", "schema.prisma"),
    migrationsDir: path.join(serviceDir, "prisma", "migrations"),
  };
}
