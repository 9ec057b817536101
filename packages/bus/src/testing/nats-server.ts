import { spawn, type ChildProcess } from "node:child_process";
import { once } from "node:events";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { findNatsServer, freePort, NATS_INSTALL_HINT, waitForPort } from "@omnihall/devstack";
import { onTestFinished } from "vitest";

/**
 * A nats-server of this test's own, on a fixed port and store, that the test can stop and start again to see
 * what clients do while the bus is down. Removed when the test finishes.
 */
export async function privateNatsServer() {
  const binary = findNatsServer();
  if (!binary) throw new Error(NATS_INSTALL_HINT);
  const port = await freePort();
  const storeDir = await mkdtemp(path.join(tmpdir(), "omnihall-bus-nats-"));
  let child: ChildProcess | undefined;

  async function start(): Promise<void> {
    child = spawn(binary!, ["-js", "-a", "127.0.0.1", "-p", String(port), "-sd", storeDir], { stdio: "ignore" });
    await waitForPort("127.0.0.1", port, 10_000);
  }
  async function stop(): Promise<void> {
    if (!child || child.exitCode !== null) return;
    const exited = once(child, "exit");
    child.kill("SIGTERM");
    await exited;
  }

  await start();
  onTestFinished(async () => {
    await stop();
    await rm(storeDir, { recursive: true, force: true });
  });
  return { url: `nats://127.0.0.1:${port}`, start, stop };
}
