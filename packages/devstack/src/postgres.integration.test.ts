import { spawnSync } from "node:child_process";
import { chmod, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { describe, expect, it, onTestFinished } from "vitest";
import { isListening } from "./ports.js";
import { startEmbeddedPostgres } from "./postgres.js";

async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

describe("embedded PostgreSQL", () => {
  it("initialises a cluster, serves it, keeps its data across restarts and stops", { timeout: 120_000 }, async () => {
    // A folder only its owner may enter, like a private temp folder: as root, the server must still start.
    const parent = await mkdtemp(path.join(os.tmpdir(), "omnihall-pg-test-"));
    await chmod(parent, 0o700);
    onTestFinished(() => rm(parent, { recursive: true, force: true }));

    const first = await startEmbeddedPostgres(path.join(parent, "data"));
    onTestFinished(() => first.stop());
    await query(first.url, "CREATE TABLE kept (note text); INSERT INTO kept VALUES ('still here')");
    await first.stop();
    expect(await isListening("127.0.0.1", Number(new URL(first.url).port))).toBe(false);

    const second = await startEmbeddedPostgres(path.join(parent, "data"));
    onTestFinished(() => second.stop());
    expect(second.dataDir).toBe(first.dataDir);
    expect(await query(second.url, "SELECT note FROM kept")).toEqual([{ note: "still here" }]);
    await second.stop();
    if (second.dataDir !== path.join(parent, "data")) await rm(second.dataDir, { recursive: true, force: true });
  });

  it("leaves the exit code of the process that used it alone", { timeout: 120_000 }, async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "omnihall-pg-exit-"));
    onTestFinished(() => rm(dataDir, { recursive: true, force: true }));
    const script = `
      const { startEmbeddedPostgres } = await import(${JSON.stringify(fileURLToPath(new URL("./postgres.ts", import.meta.url)))});
      const server = await startEmbeddedPostgres(${JSON.stringify(path.join(dataDir, "data"))});
      await server.stop();
      process.exitCode = 3;`;
    const child = spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      encoding: "utf8",
    });
    expect(child.stderr).toBe("");
    expect(child.status).toBe(3);
  });
});
