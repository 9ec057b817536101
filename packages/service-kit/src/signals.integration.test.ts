import { spawn } from "node:child_process";
import { once } from "node:events";
import { fileURLToPath } from "node:url";
import { describe, expect, it, onTestFinished } from "vitest";

const app = fileURLToPath(new URL("./test-fixtures/signal-app.ts", import.meta.url));

/** Starts the fixture app and returns a way to wait for a log message and the exit. */
function startApp(mode: "clean" | "hang") {
  const child = spawn(process.execPath, ["--import", "tsx", app, mode], { stdio: ["ignore", "pipe", "inherit"] });
  onTestFinished(() => void child.kill("SIGKILL"));
  const messages: string[] = [];
  const listeners: Array<() => void> = [];
  let buffered = "";
  child.stdout.setEncoding("utf8");
  child.stdout.on("data", (chunk: string) => {
    buffered += chunk;
    const lines = buffered.split("\n");
    buffered = lines.pop()!;
    for (const line of lines) messages.push((JSON.parse(line) as { msg: string }).msg);
    for (const listener of listeners) listener();
  });
  const logged = (message: string) =>
    new Promise<void>((resolve) => {
      const check = () => messages.includes(message) && resolve();
      listeners.push(check);
      check();
    });
  const exited = once(child, "exit").then(([code]) => code as number | null);
  return { child, messages, logged, exited };
}

describe("installSignalHandlers", () => {
  it("stops the app on SIGTERM and exits 0", async () => {
    const app = startApp("clean");
    await app.logged("ready");
    app.child.kill("SIGTERM");
    expect(await app.exited).toBe(0);
    expect(app.messages).toEqual(["ready", "stopping", "drained", "stopped"]);
  });

  it("takes a signal relayed twice (terminal and npm wrapper) as one, and stops cleanly", async () => {
    const app = startApp("clean");
    await app.logged("ready");
    app.child.kill("SIGINT");
    app.child.kill("SIGINT");
    expect(await app.exited).toBe(0);
    expect(app.messages).toEqual(["ready", "stopping", "drained", "stopped"]);
  });

  it("exits 1 at once on a second signal, a while later, when a stop hangs", async () => {
    const app = startApp("hang");
    await app.logged("ready");
    app.child.kill("SIGINT");
    await app.logged("stopping");
    await new Promise((resolve) => setTimeout(resolve, 1_200));
    app.child.kill("SIGINT");
    expect(await app.exited).toBe(1);
    expect(app.messages).toEqual(["ready", "stopping", "second signal while stopping: exiting now"]);
  });
});
