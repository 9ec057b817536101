import { spawn, execFileSync, type ChildProcess } from "node:child_process";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { freePort, waitForPort } from "./ports.js";

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
 * configuration in infra/nats/dev.conf. The server is a child of this process and stops with it.
 */
export async function startNatsServer(binary: string, storeDir: string, configFile: string): Promise<RunningNats> {
  await mkdir(storeDir, { recursive: true });
  const port = await freePort();
  const child: ChildProcess = spawn(
    binary,
    ["-c", configFile, "-a", "127.0.0.1", "-p", String(port), "-sd", path.resolve(storeDir)],
    { stdio: "ignore" },
  );
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
