import { execFile } from "node:child_process";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { copyLedger } from "./ledger-fixture.js";

const prismaCli = fileURLToPath(new URL("../../../node_modules/.bin/prisma", import.meta.url));

describe("prisma generate through servicePrismaConfig", () => {
  it("generates the service's client without downloading Prisma's native engine", async () => {
    const service = await copyLedger({ withMigrations: false });
    const env = { ...process.env };
    delete env.PRISMA_SCHEMA_ENGINE_BINARY; // as in a fresh shell: only prisma.config.ts may set it

    const { stdout, stderr } = await promisify(execFile)(prismaCli, ["generate"], {
      cwd: service.dir,
      env,
      timeout: 60_000,
    });

    expect(stderr).toContain("Loaded Prisma config from prisma.config.ts");
    expect(stdout).toMatch(/Generated Prisma Client \(7\.10\.1\) to \.\/src\/generated\/prisma/);
    const client = await readFile(path.join(service.dir, "src", "generated", "prisma", "client.ts"), "utf8");
    expect(client).toContain('from "./internal/class.js"');
  });
});
