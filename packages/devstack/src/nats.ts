import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { freePort, waitForPort } from "./ports.js";
import { spawnTethered } from "./tethered.js";

export interface RunningNats {
  url: string;
  stop(): Promise<void>;
}

/** The path of a `nats-server` executable on PATH, or undefined. */
export function findNatsServer(): string | undefined {
  try {
    const found = execFileSync("sh", ["-c", "command -v nats-server"], { encoding: "utf8" }).trim();
    return found || undefined;
  } catch {
    return undefined;
  }
}

export const NATS_INSTALL_HINT =
  "nats-server is not on PATH: install it (Debian/Ubuntu: `apt-get install nats-server`) or set NATS_URL";

/**
 * Starts `nats-server` with JetStream on a free loopback port, storing streams under storeDir, with the
 * configuration in infra/nats/dev.conf. The server stops with stop() or, at the latest, with this process.
 */
export async function startNatsServer(binary: string, storeDir: string, configFile: string): Promise<RunningNats> {
  await mkdir(storeDir, { recursive: true });
  const port = await freePort();
  // Tethered like PostgreSQL: a Ctrl-C for the apps must not reach it before they have drained their streams.
  const child = spawnTethered({
    command: binary,
    args: ["-c", configFile, "-a", "127.0.0.1", "-p", String(port), "-sd", path.resolve(storeDir)],
    cwd: process.cwd(),
    stopSignal: "SIGTERM",
    output: "ignore",
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  await waitForPort("127.0.0.1", port, 10_000);
  return {
    url: `nats://127.0.0.1:${port}`,
    async stop() {
      if (child.exitCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

export interface NatsClusterNode {
  name: string;
  url: string;
  /** Kills the node's process (SIGKILL by default: a crash, not a shutdown). */
  kill(signal?: NodeJS.Signals): Promise<void>;
  /** Starts the node again on the same ports and store (it rejoins and catches up). */
  restart(): Promise<void>;
  /** Whether the node's monitoring endpoint says it is healthy (JetStream current). */
  healthy(): Promise<boolean>;
}

export interface RunningNatsCluster {
  /** Every node's client URL, comma-separated: what NATS_URL holds for a cluster. */
  url: string;
  nodes: NatsClusterNode[];
  stop(): Promise<void>;
}

/**
 * A JetStream cluster of `size` nats-server processes on loopback (routes between all of them, a store each
 * under baseDir), as infra/nats/cluster.conf runs one per machine. Resolves when every node accepts clients;
 * and every node's JetStream is current (a metadata leader elected).
 */
export async function startNatsCluster(binary: string, baseDir: string, size = 3): Promise<RunningNatsCluster> {
  const clientPorts = await Promise.all(Array.from({ length: size }, () => freePort()));
  const routePorts = await Promise.all(Array.from({ length: size }, () => freePort()));
  const monitorPorts = await Promise.all(Array.from({ length: size }, () => freePort()));
  const routes = routePorts.map((port) => `nats-route://127.0.0.1:${port}`).join(", ");
  const nodes = await Promise.all(
    clientPorts.map(async (clientPort, i) => {
      const name = `n${i + 1}`;
      const storeDir = path.resolve(baseDir, name);
      await mkdir(storeDir, { recursive: true });
      const configFile = path.join(storeDir, "node.conf");
      await writeFile(
        configFile,
        [
          `server_name: ${name}`,
          `listen: "127.0.0.1:${clientPort}"`,
          `http: "127.0.0.1:${monitorPorts[i]}"`,
          `jetstream { store_dir: "${storeDir}" }`,
          `cluster { name: omnihall-test, listen: "127.0.0.1:${routePorts[i]}", routes: [${routes}] }`,
        ].join("\n"),
      );
      let child: ChildProcess | undefined;
      let exited = Promise.resolve();
      const start = async () => {
        const process = spawn(binary, ["-c", configFile], { stdio: "ignore" });
        child = process;
        exited = new Promise<void>((resolve) => process.once("exit", () => resolve()));
        await waitForPort("127.0.0.1", clientPort, 10_000);
      };
      await start();
      const healthy = async () => {
        const answer = await fetch(`http://127.0.0.1:${monitorPorts[i]}/healthz`).catch(() => undefined);
        return answer?.ok === true;
      };
      const kill = async (signal: NodeJS.Signals = "SIGKILL") => {
        if (child && child.exitCode === null && child.signalCode === null) child.kill(signal);
        await exited;
      };
      return { name, url: `nats://127.0.0.1:${clientPort}`, kill, restart: start, healthy };
    }),
  );
  // /healthz answers ok once the node's JetStream is current with the cluster (a metadata leader is elected).
  const deadline = Date.now() + 30_000;
  while (!(await Promise.all(nodes.map((node) => node.healthy()))).every(Boolean)) {
    if (Date.now() > deadline) throw new Error("the NATS cluster elected no JetStream leader in 30 s");
    await sleep(100);
  }
  return {
    url: nodes.map((node) => node.url).join(","),
    nodes,
    async stop() {
      await Promise.all(nodes.map((node) => node.kill("SIGTERM")));
    },
  };
}
