/**
 * npm run migrate -- deploy [service…] | create <service> <name> | check
 *
 * Migrates every service's own database (`omnihall_<service>` on DATABASE_URL's server) with Prisma's WASM
 * schema engine, since Prisma's native engine cannot be downloaded here.
 */
import path from "node:path";
import { fileURLToPath } from "node:url";
import { DEFAULT_BASE_URL, redactPassword, serviceDatabaseUrl } from "./database-urls.js";
import { checkMigrations } from "./migrations/check.js";
import { createMigration } from "./migrations/create.js";
import { migrateDeploy } from "./migrations/deploy.js";
import { discoverServices, type DatabaseService } from "./services.js";

const USAGE = `Usage: npm run migrate -- <command>
  deploy [service…]        apply pending migrations (every service when none is named)
  create <service> <name>  write the next migration from the service's schema changes
  check                    fail when a schema change has no migration or an applied migration was edited
DATABASE_URL is the admin URL of the PostgreSQL server (default ${DEFAULT_BASE_URL}).`;

const appsDir = fileURLToPath(new URL("../../../apps/", import.meta.url));

async function main(args: string[]): Promise<number> {
  const baseUrl = process.env.DATABASE_URL || DEFAULT_BASE_URL;
  const services = await discoverServices(appsDir);
  const [command, ...rest] = args;
  switch (command) {
    case "deploy":
      return deploy(baseUrl, pick(services, rest));
    case "create": {
      const [service, name] = rest;
      if (!service || !name || rest.length !== 2) return usage();
      return create(baseUrl, pick(services, [service])[0]!, name);
    }
    case "check":
      return check(baseUrl, services);
    default:
      return usage();
  }
}

async function deploy(baseUrl: string, services: DatabaseService[]): Promise<number> {
  for (const service of services) {
    const databaseUrl = serviceDatabaseUrl(baseUrl, service.name);
    const applied = await migrateDeploy({ ...service, databaseUrl });
    say(
      `${service.name}: ${applied.length ? `applied ${applied.join(", ")}` : "up to date"} (${redactPassword(databaseUrl)})`,
    );
  }
  return 0;
}

async function create(baseUrl: string, service: DatabaseService, name: string): Promise<number> {
  const created = await createMigration({ ...service, name, adminUrl: baseUrl });
  say(
    created
      ? `${service.name}: wrote ${path.relative(process.cwd(), created.directory)}`
      : `${service.name}: no changes`,
  );
  return 0;
}

async function check(baseUrl: string, services: DatabaseService[]): Promise<number> {
  let failed = false;
  for (const service of services) {
    const problems = await checkMigrations({
      ...service,
      adminUrl: baseUrl,
      databaseUrl: serviceDatabaseUrl(baseUrl, service.name),
    });
    if (problems.length === 0) say(`${service.name}: ok`);
    for (const problem of problems) {
      failed = true;
      say(`${service.name}: ${problem.message}${problem.kind === "missing-migration" ? `\n${problem.sql}` : ""}`);
    }
  }
  return failed ? 1 : 0;
}

function pick(services: DatabaseService[], names: string[]): DatabaseService[] {
  if (names.length === 0) return services;
  return names.map((name) => {
    const service = services.find((candidate) => candidate.name === name);
    if (!service) {
      throw new Error(
        `No service "${name}" (apps/${name}/prisma/schema.prisma). Known: ${services.map((s) => s.name).join(", ") || "none"}`,
      );
    }
    return service;
  });
}

function usage(): number {
  process.stderr.write(`${USAGE}\n`);
  return 2;
}

function say(line: string) {
  process.stdout.write(`${line}\n`);
}

// Exit explicitly: Prisma's engine is internal code we pin but do not control, and a handle it leaves behind
// must not keep a finished deploy step hanging.
main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);
