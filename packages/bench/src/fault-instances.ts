import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import net from "node:net";
import { repoRoot, waitForPort } from "@omnihall/devstack";
import { logsDir } from "./stack.js";

const taken = new Set<number>();

/**
 * A free loopback port below Linux's ephemeral range (32768–60999). An instance keeps its port across a kill and
 * restart, and a port from the ephemeral range can meanwhile become some outgoing connection's local port
 * (EADDRINUSE on restart, seen on this busy machine).
 */
export async function stablePort(): Promise<number> {
  for (;;) {
    const port = 20_000 + Math.floor(Math.random() * 12_000);
    if (taken.has(port)) continue;
    const free = await new Promise<boolean>((resolve) => {
      const server = net.createServer();
      server.once("error", () => resolve(false));
      server.listen(port, "127.0.0.1", () => server.close(() => resolve(true)));
    });
    if (!free) continue;
    taken.add(port);
    return port;
  }
}

/**
 * One instance of an app from its bundle on a port fixed for the run, unlike the bench's spawnApp (a free port
 * each start): callers hold a list of addresses, so an instance that is killed must come back where it was.
 */
export class AppInstance {
  private child: ChildProcess | undefined;
  private exited: Promise<unknown> = Promise.resolve();
  starts = 0;

  private constructor(
    readonly name: string,
    private readonly script: string,
    readonly port: number,
    private readonly env: Record<string, string>,
  ) {}

  /** `extraPorts` names variables that get a free port each (metrics, webhooks): two instances must not share. */
  static async create(
    name: string,
    app: string,
    env: Record<string, string>,
    extraPorts: readonly string[] = [],
  ): Promise<AppInstance> {
    const ports: Record<string, string> = {};
    for (const variable of ["METRICS_PORT", ...extraPorts]) ports[variable] = String(await stablePort());
    const script = path.join(repoRoot, "apps", app, "dist", "main.js");
    return new AppInstance(name, script, await stablePort(), { ...env, ...ports });
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Where its Prometheus metrics are served (the same port across restarts). */
  get metricsUrl(): string {
    return `http://127.0.0.1:${this.env.METRICS_PORT}/metrics`;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the process and resolves once it listens; its output is appended to logs/faults-<name>.log. */
  async start(): Promise<void> {
    await mkdir(logsDir, { recursive: true });
    const log = createWriteStream(path.join(logsDir, `faults-${this.name}.log`), { flags: this.starts ? "a" : "w" });
    this.starts++;
    const child = spawn(process.execPath, [this.script], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? "", HOST: "127.0.0.1", PORT: String(this.port), ...this.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    child.stdout!.pipe(log);
    child.stderr!.pipe(log);
    this.child = child;
    this.exited = once(child, "exit");
    const died = this.exited.then(() => {
      throw new Error(`${this.name} exited before it listened; see ${log.path as string}`);
    });
    await Promise.race([waitForPort("127.0.0.1", this.port, 60_000), died]);
    died.catch(() => {});
  }

  /** kill -9: no drain, no goodbye; whatever it held in flight is left to the others and to its restart. */
  async kill9(): Promise<void> {
    if (!this.running) return;
    this.child!.kill("SIGKILL");
    await this.exited;
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.child!.kill("SIGTERM");
    const timer = setTimeout(() => this.child?.kill("SIGKILL"), 20_000);
    await this.exited;
    clearTimeout(timer);
  }
}

/** Two (or more) instances of one service and the target a caller uses to balance over them. */
export class ServiceGroup {
  constructor(
    readonly service: string,
    readonly instances: AppInstance[],
  ) {}

  static async create(
    service: string,
    env: Record<string, string>,
    count = 2,
    extraPorts: readonly string[] = [],
  ): Promise<ServiceGroup> {
    const instances: AppInstance[] = [];
    for (let i = 1; i <= count; i++)
      instances.push(await AppInstance.create(`${service}-${i}`, service, env, extraPorts));
    return new ServiceGroup(service, instances);
  }

  /** grpc-js's list target: round robin over every instance (what channel-client gives a caller). */
  get target(): string {
    return `ipv4:${this.instances.map((instance) => instance.address).join(",")}`;
  }

  async start(): Promise<void> {
    await Promise.all(this.instances.map((instance) => instance.start()));
  }

  async stop(): Promise<void> {
    await Promise.all(this.instances.map((instance) => instance.stop()));
  }
}
