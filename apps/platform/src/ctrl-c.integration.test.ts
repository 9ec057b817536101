import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { chmod, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { repoRoot, startEmbeddedPostgres } from "@omnihall/devstack";
import pg from "pg";
import { describe, expect, it, onTestFinished } from "vitest";
import { waitFor } from "@omnihall/testkit";

/** What `npm start` runs once the contracts are generated: the last step of its script, wrapper and all. */
async function platformCommand(): Promise<string> {
  const { scripts } = JSON.parse(await readFile(path.join(repoRoot, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  return scripts.start!.split("&&").at(-1)!.trim();
}

/** Processes whose command line names `stateDir`: embedded PostgreSQL (and its supervisor), nats-server. */
async function processesUsing(stateDir: string): Promise<string[]> {
  const found: string[] = [];
  for (const pid of (await readdir("/proc")).filter((entry) => /^\d+$/.test(entry))) {
    const command = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
    if (command.includes(stateDir)) found.push(`${pid}: ${command.replaceAll("\0", " ").slice(0, 200)}`);
  }
  return found;
}

interface Platform {
  child: ChildProcess;
  output: () => string;
  exited: Promise<unknown>;
}

/** The platform as `npm start` starts it, in its own process group like a job in a terminal. */
async function startPlatform(stateDir: string): Promise<Platform> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    OMNIHALL_STATE_DIR: stateDir,
    LOG_LEVEL: "info",
    ...Object.fromEntries(
      [
        "CUSTOMER",
        "BILLING",
        "CATALOG",
        "ORDERS",
        "USAGE",
        "NOTIFY",
        "WEB_HALL",
        "KIOSK",
        "KIOSK_DEVICES",
        "KIOSK_DEVICES_CONTROL",
        "OPS_CONSOLE",
      ].map((name) => [`${name}_PORT`, "0"]),
    ),
  };
  // Its own PostgreSQL and NATS (nats-server from PATH, else the in-process bus), as on a fresh machine.
  for (const name of ["DATABASE_URL", "NATS_URL", "SMPP_HOST", "SMS_PROVIDER"]) delete env[name];
  const child = spawn("sh", ["-c", await platformCommand()], {
    cwd: repoRoot,
    env,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  child.stderr!.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const exited = once(child, "exit");
  onTestFinished(() => {
    if (child.exitCode === null && child.signalCode === null) process.kill(-child.pid!, "SIGKILL");
  });
  return { child, output: () => output, exited };
}

/** Waits for the start-up banner; fails at once should the platform exit instead. */
async function upAndRunning(platform: Platform, timeoutMs: number): Promise<void> {
  await waitFor(
    "the platform to be up",
    () => {
      if (platform.output().includes("Omnihall is up in")) return true;
      if (platform.child.exitCode !== null || platform.child.signalCode !== null) {
        throw new Error(`the platform exited instead of starting:\n${platform.output().slice(-5000)}`);
      }
      return false;
    },
    { timeoutMs, intervalMs: 100 },
  );
}

/** Ctrl-C in a terminal: SIGINT to every process of the foreground job. */
function pressCtrlC(platform: Platform): void {
  process.kill(-platform.child.pid!, "SIGINT");
}

async function stoppedCleanly(platform: Platform, stateDir: string): Promise<void> {
  await Promise.race([
    platform.exited,
    waitFor("the platform to exit", () => platform.child.exitCode !== null || platform.child.signalCode !== null, {
      timeoutMs: 120_000,
      intervalMs: 100,
    }).catch(() => {
      throw new Error(`the platform did not exit after Ctrl-C:\n${platform.output().slice(-3000)}`);
    }),
  ]);
  expect(platform.output()).toContain("everything stopped");
  // Nothing of it is left running: not PostgreSQL, its supervisor, nor nats-server.
  await waitFor("no process left", async () => (await processesUsing(stateDir)).length === 0, {
    timeoutMs: 15_000,
    intervalMs: 100,
  }).catch(async () => expect(await processesUsing(stateDir)).toEqual([]));
}

describe("Ctrl-C on npm start", () => {
  it(
    "always stops everything, with the data intact: after start-up, during it, and with the signal twice",
    { timeout: 900_000 },
    async () => {
      const stateDir = await mkdtemp(path.join(os.tmpdir(), "omnihall-ctrl-c-"));
      // Reachable by the postgres user (as root), so the cluster is kept right here rather than in a stand-in.
      await chmod(stateDir, 0o755);
      onTestFinished(() => rm(stateDir, { recursive: true, force: true }));
      const isUp = (platform: Platform) => platform.output().includes("Omnihall is up in");

      // 1. Once up (the first start also creates the cluster and seeds the demo).
      const first = await startPlatform(stateDir);
      await upAndRunning(first, 600_000);
      // With nats-server on PATH every app is its own process: one killed with SIGKILL comes back by itself.
      const billingPid = /billing\s+grpc:\/\/\S+\s+SERVING\s+pid (\d+)/.exec(first.output())?.[1];
      if (billingPid) {
        process.kill(Number(billingPid), "SIGKILL");
        await waitFor("billing to come back", () => first.output().includes("billing is back"), {
          timeoutMs: 120_000,
          intervalMs: 100,
        });
      }
      pressCtrlC(first);
      await stoppedCleanly(first, stateDir);

      // 2. In the middle of start-up: PostgreSQL is running, the services are not all up yet.
      const second = await startPlatform(stateDir);
      await waitFor(
        "PostgreSQL to run",
        async () => (await processesUsing(path.join(stateDir, "postgres"))).length > 0,
        { timeoutMs: 120_000, intervalMs: 100 },
      );
      pressCtrlC(second);
      await stoppedCleanly(second, stateDir);
      expect(isUp(second)).toBe(false);

      // 3. Up again, and the signal arrives twice (the terminal's, then a wrapper relaying it).
      const third = await startPlatform(stateDir);
      await upAndRunning(third, 300_000);
      pressCtrlC(third);
      setTimeout(() => third.child.exitCode === null && process.kill(third.child.pid!, "SIGINT"), 30);
      await stoppedCleanly(third, stateDir);

      // The cluster opens clean (no crash recovery ever ran) with the demo data in it.
      const postgres = await startEmbeddedPostgres(path.join(stateDir, "postgres"));
      onTestFinished(() => postgres.stop());
      const url = new URL(postgres.url);
      url.pathname = "/omnihall_customer";
      const client = new pg.Client({ connectionString: url.toString() });
      await client.connect();
      const { rows } = await client.query<{ count: string }>("SELECT count(*) FROM subscriber");
      await client.end();
      expect(Number(rows[0]!.count)).toBeGreaterThan(0);
      await postgres.stop();
      const log = await readFile(path.join(postgres.dataDir, "server.log"), "utf8");
      expect(log).not.toMatch(/not properly shut down|automatic recovery in progress|was interrupted/);
    },
  );
});
