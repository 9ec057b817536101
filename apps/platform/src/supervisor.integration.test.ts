import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { freePort } from "@omnihall/devstack";
import pino from "pino";
import { describe, expect, it, onTestFinished } from "vitest";
import { superviseApp } from "./supervisor.js";

const entry = fileURLToPath(new URL("./test-fixtures/tiny-app.ts", import.meta.url));

async function tinyApp() {
  const port = await freePort();
  const lines: string[] = [];
  const output = new PassThrough();
  output.setEncoding("utf8").on("data", (chunk: string) => lines.push(...chunk.split("\n").filter(Boolean)));
  const logged: { msg: string }[] = [];
  const logger = pino({ level: "info" }, { write: (line: string) => void logged.push(JSON.parse(line)) });
  const pidAnswer = async () => {
    const answer = await fetch(`http://127.0.0.1:${port}/`).catch(() => undefined);
    return answer?.ok ? Number(await answer.text()) : undefined;
  };
  const app = await superviseApp({
    name: "tiny",
    entry,
    env: { ...process.env, PORT: String(port) },
    ready: async () => (await pidAnswer()) !== undefined,
    logger,
    output,
  });
  onTestFinished(() => app.stop());
  return { app, port, lines, logged, pidAnswer };
}

describe("superviseApp", () => {
  it("restarts an app killed with SIGKILL or exiting with an error, says so, and prefixes its output", async () => {
    const { app, port, lines, logged, pidAnswer } = await tinyApp();
    const first = app.pid()!;
    expect(await pidAnswer()).toBe(first);
    // The app's log lines reach the pipe in batches (the kit's logger writes every 100 ms or 4 KB), so they may
    // arrive after it already answers.
    await expect
      .poll(() => lines.some((line) => line.startsWith("tiny        | ") && line.includes('"msg":"ready"')))
      .toBe(true);

    process.kill(first, "SIGKILL");
    await expect
      .poll(pidAnswer, { timeout: 30_000, interval: 100 })
      .toSatisfy((pid) => pid !== undefined && pid !== first);
    expect(app.restarts()).toBe(1);
    expect(logged.map((entry) => entry.msg)).toContain("tiny exited unexpectedly (SIGKILL); restarting in 1 s");

    // A second death in a row waits twice as long.
    const second = app.pid()!;
    await fetch(`http://127.0.0.1:${port}/crash`).catch(() => undefined);
    await expect
      .poll(pidAnswer, { timeout: 30_000, interval: 100 })
      .toSatisfy((pid) => pid !== undefined && pid !== second);
    expect(logged.map((entry) => entry.msg)).toContain("tiny exited unexpectedly (code 3); restarting in 2 s");
  });

  it("leaves an app that stopped cleanly after a signal stopped, and stop() ends it with SIGTERM", async () => {
    const { app, logged, pidAnswer } = await tinyApp();
    process.kill(app.pid()!, "SIGTERM");
    await expect.poll(() => logged.some((entry) => entry.msg === "tiny stopped"), { timeout: 15_000 }).toBe(true);
    expect(app.pid()).toBeUndefined();
    expect(await pidAnswer()).toBeUndefined();

    const other = await tinyApp();
    const pid = other.app.pid()!;
    await other.app.stop();
    expect(() => process.kill(pid, 0)).toThrow();
  });
});
