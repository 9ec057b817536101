import path from "node:path";
import type { TestProject } from "vitest/node";
import {
  findNatsServer,
  isListening,
  NATS_INSTALL_HINT,
  repoRoot,
  startEmbeddedPostgres,
  startNatsServer,
} from "@omnihall/devstack";
import "./provided-context.js";

const LOCAL_POSTGRES = "postgresql://postgres@127.0.0.1:5432/postgres";
const LOCAL_NATS = "nats://127.0.0.1:4222";

/**
 * Finds real PostgreSQL and NATS servers for the whole test run: the configured ones (TEST_DATABASE_URL,
 * NATS_URL), else the ones on their standard local ports, else it starts embedded PostgreSQL and a
 * `nats-server` from PATH itself. Tests never fall back to fakes.
 */
export default async function setup(project: TestProject) {
  const stops: Array<() => Promise<void>> = [];

  let postgresUrl = process.env.TEST_DATABASE_URL;
  if (!postgresUrl) {
    if (await isListening("127.0.0.1", 5432)) postgresUrl = LOCAL_POSTGRES;
    else {
      const pg = await startEmbeddedPostgres(path.join(repoRoot, ".omnihall/test-postgres"));
      stops.push(pg.stop);
      postgresUrl = pg.url;
    }
  }

  let natsUrl = process.env.NATS_URL;
  if (!natsUrl) {
    if (await isListening("127.0.0.1", 4222)) natsUrl = LOCAL_NATS;
    else {
      const binary = findNatsServer();
      if (!binary) throw new Error(`Tests need a NATS JetStream server. ${NATS_INSTALL_HINT}.`);
      const nats = await startNatsServer(
        binary,
        path.join(repoRoot, ".omnihall/test-nats"),
        path.join(repoRoot, "infra/nats/dev.conf"),
      );
      stops.push(nats.stop);
      natsUrl = nats.url;
    }
  }

  project.provide("postgresUrl", postgresUrl);
  project.provide("natsUrl", natsUrl);
  return async () => {
    for (const stop of stops.reverse()) await stop();
  };
}
