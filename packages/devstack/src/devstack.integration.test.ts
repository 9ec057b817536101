import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { findNatsServer, isListening, repoRoot, startNatsServer } from "./index.js";

describe("nats-server from PATH", () => {
  it.skipIf(!findNatsServer())("starts with JetStream on a free port and stops", async () => {
    const store = await mkdtemp(path.join(os.tmpdir(), "omnihall-nats-"));
    const nats = await startNatsServer(findNatsServer()!, store, path.join(repoRoot, "infra/nats/dev.conf"));
    const port = Number(new URL(nats.url).port);
    expect(await isListening("127.0.0.1", port)).toBe(true);
    await nats.stop();
    expect(await isListening("127.0.0.1", port)).toBe(false);
    await rm(store, { recursive: true, force: true });
  });
});
