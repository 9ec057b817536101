import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdir, readFile } from "node:fs/promises";
import path from "node:path";
import { jetstreamManager } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { build } from "esbuild";
import { DEFAULT_BASE_URL, databaseUrlFor, dropDatabase, maintenanceUrl } from "@omnihall/db";
import {
  findNatsServer,
  freePort,
  isListening,
  NATS_INSTALL_HINT,
  repoRoot,
  startEmbeddedPostgres,
  startNatsServer,
  waitForPort,
} from "@omnihall/devstack";

/** Where the bench keeps its bundles, app logs and CPU profiles (git-ignored). */
export const benchDir = path.join(repoRoot, ".omnihall", "bench");
export const logsDir = path.join(benchDir, "logs");
export const profilesDir = path.join(benchDir, "profiles");

export interface Infrastructure {
  /** Admin URL of the PostgreSQL server the bench makes its databases on. */
  postgresUrl: string;
  natsUrl: string;
  describe: string;
  stop(): Promise<void>;
}

/** PostgreSQL and NATS as `npm test` finds them: the variables, else the local servers, else embedded ones. */
export async function startInfrastructure(): Promise<Infrastructure> {
  const stops: Array<() => Promise<void>> = [];
  let postgresUrl = process.env.DATABASE_URL ? maintenanceUrl(process.env.DATABASE_URL) : undefined;
  if (!postgresUrl && (await isListening("127.0.0.1", 5432))) postgresUrl = DEFAULT_BASE_URL;
  if (!postgresUrl) {
    const embedded = await startEmbeddedPostgres(path.join(benchDir, "postgres"));
    stops.push(() => embedded.stop());
    postgresUrl = embedded.url;
  }
  let natsUrl = process.env.NATS_URL;
  if (!natsUrl && (await isListening("127.0.0.1", 4222))) natsUrl = "nats://127.0.0.1:4222";
  if (!natsUrl) {
    const binary = findNatsServer();
    if (!binary) throw new Error(NATS_INSTALL_HINT);
    const nats = await startNatsServer(
      binary,
      path.join(benchDir, "nats"),
      path.join(repoRoot, "infra", "nats", "dev.conf"),
    );
    stops.push(() => nats.stop());
    natsUrl = nats.url;
  }
  return {
    postgresUrl,
    natsUrl,
    describe: `PostgreSQL ${new URL(postgresUrl).host}, NATS ${natsUrl}`,
    async stop() {
      for (const stop of stops.reverse()) await stop();
    },
  };
}

/** Fresh databases for one run, named omnihall_bench_<service>_<run>, dropped at the end. */
export class BenchDatabases {
  private readonly made: string[] = [];
  constructor(
    private readonly adminUrl: string,
    private readonly runId: string,
  ) {}

  urlFor(service: string): string {
    const name = `omnihall_bench_${service}_${this.runId}`;
    if (!this.made.includes(name)) this.made.push(name);
    return databaseUrlFor(this.adminUrl, name);
  }

  async dropAll(): Promise<void> {
    for (const name of this.made) await dropDatabase(this.adminUrl, name);
  }
}

/**
 * The bench's own helper programs (baseline server, load generators), bundled like the apps so they run on plain
 * node as the apps do.
 */
export async function bundleHelpers(): Promise<Record<"baseline" | "httpLoad" | "grpcLoad", string>> {
  const outdir = path.join(benchDir, "dist");
  const here = path.dirname(new URL(import.meta.url).pathname);
  await build({
    entryPoints: {
      baseline: path.join(here, "processes", "baseline.ts"),
      "http-load": path.join(here, "processes", "http-load.ts"),
      "grpc-load": path.join(here, "processes", "grpc-load.ts"),
    },
    outdir,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    logLevel: "warning",
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    // npm packages stay external, exactly as omnihall-bundle-app does for the apps; node finds them in the
    // repository's node_modules, as the bundles are written inside the repository.
    plugins: [
      {
        name: "external-npm-packages",
        setup(builder) {
          builder.onResolve({ filter: /^[^./]/ }, (args) =>
            args.path.startsWith("@omnihall/") ? undefined : { path: args.path, external: true },
          );
        },
      },
    ],
  });
  return {
    baseline: path.join(outdir, "baseline.js"),
    httpLoad: path.join(outdir, "http-load.js"),
    grpcLoad: path.join(outdir, "grpc-load.js"),
  };
}

export interface AppProcess {
  name: string;
  /** host:port (gRPC) or http://host:port. */
  address: string;
  port: number;
  logFile: string;
  /** CPU time (user + system) the process has used so far, in ms; undefined where /proc is not there. */
  cpuMs(): Promise<number | undefined>;
  /** The most memory (RSS) the process has held so far, in bytes (VmHWM); undefined where /proc is not there. */
  peakRssBytes(): Promise<number | undefined>;
  stop(): Promise<void>;
}

const CLOCK_TICKS_PER_SECOND = 100;

/** utime + stime of a process from /proc/<pid>/stat (fields 14 and 15, after the parenthesised name). */
export async function processCpuMs(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  try {
    const stat = await readFile(`/proc/${pid}/stat`, "utf8");
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return undefined;
  }
}

/** VmHWM of a process from /proc/<pid>/status: its resident set's high-water mark. */
async function processPeakRss(pid: number | undefined): Promise<number | undefined> {
  if (pid === undefined) return undefined;
  try {
    const kb = /^VmHWM:\s+(\d+) kB/m.exec(await readFile(`/proc/${pid}/status`, "utf8"))?.[1];
    return kb === undefined ? undefined : Number(kb) * 1024;
  } catch {
    return undefined;
  }
}

export interface SpawnOptions {
  name: string;
  /** The script node runs: an app's dist/main.js or a bench helper bundle. */
  script: string;
  env: Record<string, string>;
  /** Writes a V8 CPU profile to .omnihall/bench/profiles when the process exits. */
  profile?: boolean;
  http?: boolean;
}

/** Runs one program in its own node process on a free port, its output in .omnihall/bench/logs/<name>.log. */
export async function spawnApp(options: SpawnOptions): Promise<AppProcess> {
  await mkdir(logsDir, { recursive: true });
  const port = await freePort();
  const logFile = path.join(logsDir, `${options.name}.log`);
  const log = createWriteStream(logFile);
  const args = options.profile
    ? ["--cpu-prof", `--cpu-prof-dir=${profilesDir}`, `--cpu-prof-name=${options.name}.cpuprofile`]
    : [];
  const child: ChildProcess = spawn(process.execPath, [...args, options.script], {
    cwd: repoRoot,
    // What a deployment sets, and nothing of the bench's own environment beyond PATH.
    env: { PATH: process.env.PATH ?? "", HOST: "127.0.0.1", PORT: String(port), ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  child.stdout!.pipe(log);
  child.stderr!.pipe(log);
  const exited = once(child, "exit");
  const died = exited.then(([code]) => {
    throw new Error(`${options.name} exited (${String(code)}) before it listened; see ${logFile}`);
  });
  await Promise.race([waitForPort("127.0.0.1", port, 60_000), died]);
  died.catch(() => {});
  return {
    name: options.name,
    address: options.http ? `http://127.0.0.1:${port}` : `127.0.0.1:${port}`,
    port,
    logFile,
    cpuMs: () => processCpuMs(child.pid),
    peakRssBytes: () => processPeakRss(child.pid),
    async stop() {
      if (child.exitCode !== null) return;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/** Runs a load generator to its end and returns the JSON figures it prints last. */
export async function runLoad<Figures>(script: string, settingsFile: string): Promise<Figures> {
  const child = spawn(process.execPath, [script, settingsFile], {
    cwd: repoRoot,
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
  const [code] = (await once(child, "exit")) as [number | null];
  const last = output.trim().split("\n").pop() ?? "";
  if (code !== 0 || !last.startsWith("{")) throw new Error(`load generator failed (${String(code)}): ${output}`);
  return JSON.parse(last) as Figures;
}

/**
 * A run's durable consumers (named with `prefix`) and, when given, a stream of its own (a live offer bucket's) off
 * the NATS server, which may be the team's shared one: left there, every run's consumers would go on holding their
 * streams' messages for nobody.
 */
export async function removeFromNats(natsUrl: string, prefix: string, ownStream?: string): Promise<void> {
  const nc = await connect({ servers: natsUrl.split(",") });
  try {
    const jsm = await jetstreamManager(nc);
    for await (const stream of jsm.streams.list()) {
      const name = stream.config.name;
      if (name === ownStream) {
        await jsm.streams.delete(name);
        continue;
      }
      for await (const consumer of jsm.consumers.list(name)) {
        if (consumer.name.startsWith(prefix)) await jsm.consumers.delete(name, consumer.name);
      }
    }
  } finally {
    await nc.close();
  }
}
