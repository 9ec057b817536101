import { spawn } from "node:child_process";
import { onTestFinished, vi } from "vitest";

/**
 * Runs `body` (an ES module script, run by tsx) in a process of its own: it starts a server, then writes
 * `READY <value>` on a line. Resolves with the value and a kill() that ends the process with SIGKILL — no handler,
 * no stop() — so a test can see whether the server it started goes with it. vi.waitFor rather than the testkit's
 * waitFor: the testkit depends on this package.
 */
export async function doomedStarter(body: string, readyWithinMs: number): Promise<{ ready: string; kill(): void }> {
  const script = `${body}\nsetInterval(() => {}, 1000);`;
  const child = spawn(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  onTestFinished(() => void child.kill("SIGKILL"));
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
  const ready = await vi.waitFor(
    () => {
      const line = /READY (.+)\n/.exec(output);
      if (!line) throw new Error("the starter has not said READY yet");
      return line[1]!;
    },
    { timeout: readyWithinMs, interval: 50 },
  );
  return { ready, kill: () => void child.kill("SIGKILL") };
}
