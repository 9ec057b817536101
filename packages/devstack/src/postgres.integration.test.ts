import { spawnSync } from "node:child_process";
import { chmod, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { isListening } from "./ports.js";
import { startEmbeddedPostgres } from "./postgres.js";
import { doomedStarter } from "./testing/doomed-starter.js";

async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query(sql)).rows;
  } finally {
    await client.end();
  }
}

/** Processes whose command line names `dataDir`: the server, its workers' parent, and its supervisor. */
async function processesServing(dataDir: string): Promise<number[]> {
  const pids = (await readdir("/proc")).filter((entry) => /^\d+$/.test(entry));
  const found: number[] = [];
  for (const pid of pids) {
    const command = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
    if (command.includes(dataDir)) found.push(Number(pid));
  }
  return found;
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

  it(
    "stops with the process that started it, even one killed outright, and keeps the data",
    { timeout: 120_000 },
    async () => {
      const parent = await mkdtemp(path.join(os.tmpdir(), "omnihall-pg-orphan-"));
      onTestFinished(() => rm(parent, { recursive: true, force: true }));
      const wanted = path.join(parent, "data");
      // A process that starts the server, commits a row and then is killed (SIGKILL: no handler, no stop()).
      const starter = await doomedStarter(
        `const { startEmbeddedPostgres } = await import(${JSON.stringify(fileURLToPath(new URL("./postgres.ts", import.meta.url)))});
      const { default: pg } = await import("pg");
      const server = await startEmbeddedPostgres(${JSON.stringify(wanted)});
      const client = new pg.Client({ connectionString: server.url });
      await client.connect();
      await client.query("CREATE TABLE kept (note text); INSERT INTO kept VALUES ('committed before the kill')");
      await client.end();
      process.stdout.write("READY " + server.dataDir + "\\n");`,
        90_000,
      );
      const dataDir = starter.ready;
      expect(await processesServing(dataDir)).not.toEqual([]);

      starter.kill();
      await vi.waitFor(async () => expect(await processesServing(dataDir)).toEqual([]), {
        timeout: 30_000,
        interval: 100,
      });

      const again = await startEmbeddedPostgres(wanted);
      onTestFinished(() => again.stop());
      expect(await query(again.url, "SELECT note FROM kept")).toEqual([{ note: "committed before the kill" }]);
      await again.stop();
      // The first server was shut down, not left to crash recovery: both starts found a cleanly shut down cluster
      // (the first one initdb's).
      const log = await readFile(path.join(dataDir, "server.log"), "utf8");
      expect(log).not.toMatch(/not properly shut down|automatic recovery in progress|was interrupted/);
      expect(log.match(/database system was shut down at/g)).toHaveLength(2);
      if (dataDir !== wanted) await rm(dataDir, { recursive: true, force: true });
    },
  );
});
