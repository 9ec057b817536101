import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { findNatsServer, isListening, repoRoot, startNatsServer } from "./index.js";
import { doomedStarter } from "./testing/doomed-starter.js";

const devConf = path.join(repoRoot, "infra/nats/dev.conf");

describe("nats-server from PATH", () => {
  it.skipIf(!findNatsServer())("starts with JetStream on a free port and stops", async () => {
    const store = await mkdtemp(path.join(os.tmpdir(), "omnihall-nats-"));
    const nats = await startNatsServer(findNatsServer()!, store, devConf);
    const port = Number(new URL(nats.url).port);
    expect(await isListening("127.0.0.1", port)).toBe(true);
    await nats.stop();
    expect(await isListening("127.0.0.1", port)).toBe(false);
    await rm(store, { recursive: true, force: true });
  });

  it.skipIf(!findNatsServer())("stops with the process that started it, even one killed outright", async () => {
    const store = await mkdtemp(path.join(os.tmpdir(), "omnihall-nats-orphan-"));
    onTestFinished(() => rm(store, { recursive: true, force: true }));
    // A process that starts the server and then is killed (SIGKILL: no handler, no stop()).
    const starter = await doomedStarter(
      `const { startNatsServer } = await import(${JSON.stringify(fileURLToPath(new URL("./nats.ts", import.meta.url)))});
      const nats = await startNatsServer(${JSON.stringify(findNatsServer())}, ${JSON.stringify(store)}, ${JSON.stringify(devConf)});
      process.stdout.write("READY " + nats.url + "\\n");`,
      30_000,
    );
    const url = starter.ready;
    const port = Number(new URL(url).port);
    expect(await isListening("127.0.0.1", port)).toBe(true);

    starter.kill();
    await vi.waitUntil(async () => !(await isListening("127.0.0.1", port)), { timeout: 15_000, interval: 50 });
  });
});
