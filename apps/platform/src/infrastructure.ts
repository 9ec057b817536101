import path from "node:path";
import { InProcessBus, JetStreamBus, type EventBus } from "@omnihall/bus";
import { findNatsServer, repoRoot, startEmbeddedPostgres, startNatsServer } from "@omnihall/devstack";
import type { Logger } from "@omnihall/service-kit";

/** Where the platform keeps embedded data between runs (git-ignored). */
const STATE_DIR = path.join(repoRoot, ".omnihall");

export interface Infrastructure {
  /** Admin URL of the PostgreSQL server; each service gets its own database on it. */
  postgresUrl: string;
  /** Which PostgreSQL, for the start-up banner. */
  postgresSource: string;
  bus: EventBus;
  /** Which event bus, for the start-up banner. */
  busSource: string;
  stop(): Promise<void>;
}

/**
 * PostgreSQL from DATABASE_URL, else embedded PostgreSQL; NATS from NATS_URL, else a nats-server on PATH, else an
 * in-process bus (the whole platform runs in this one process, so it reaches every service).
 */
export async function startInfrastructure(env: NodeJS.ProcessEnv, logger: Logger): Promise<Infrastructure> {
  const stops: Array<() => Promise<void>> = [];
  let postgresUrl = env.DATABASE_URL;
  let postgresSource = "DATABASE_URL";
  if (!postgresUrl) {
    const embedded = await startEmbeddedPostgres(path.join(STATE_DIR, "postgres"));
    stops.push(embedded.stop);
    postgresUrl = embedded.url;
    postgresSource = "embedded PostgreSQL (data in .omnihall/postgres)";
  }

  let bus: EventBus;
  let busSource: string;
  const natsBinary = env.NATS_URL ? undefined : findNatsServer();
  if (env.NATS_URL) {
    bus = await JetStreamBus.connect({ url: env.NATS_URL, name: "omnihall-platform", logger });
    busSource = `NATS JetStream at ${env.NATS_URL}`;
  } else if (natsBinary) {
    const nats = await startNatsServer(
      natsBinary,
      path.join(STATE_DIR, "nats"),
      path.join(repoRoot, "infra/nats/dev.conf"),
    );
    stops.push(nats.stop);
    bus = await JetStreamBus.connect({ url: nats.url, name: "omnihall-platform", logger });
    busSource = `NATS JetStream (${natsBinary}, ${nats.url}, data in .omnihall/nats)`;
  } else {
    bus = new InProcessBus({ logger });
    busSource = "in-process event bus (no NATS_URL and no nats-server on PATH; events do not survive a restart)";
  }

  return {
    postgresUrl,
    postgresSource,
    bus,
    busSource,
    async stop() {
      // A Ctrl-C in a terminal also reaches the PostgreSQL and NATS children directly, so they may be gone
      // already: each step is tried, none is allowed to keep the others from running.
      for (const stop of [() => bus.close(), ...stops.reverse()]) {
        await stop().catch((error: unknown) => logger.warn({ err: error }, "infrastructure stop step failed"));
      }
    },
  };
}
