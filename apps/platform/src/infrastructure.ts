import path from "node:path";
import { InProcessBus, JetStreamBus, type EventBus } from "@omnihall/bus";
import { findNatsServer, repoRoot, startEmbeddedPostgres, startNatsServer } from "@omnihall/devstack";
import { FakeSmsc } from "@omnihall/notify/fake-smsc";
import type { Logger } from "@omnihall/service-kit";

/** Where the platform keeps embedded data between runs: OMNIHALL_STATE_DIR, else `.omnihall` (git-ignored). */
function stateDir(env: NodeJS.ProcessEnv): string {
  return path.resolve(env.OMNIHALL_STATE_DIR || path.join(repoRoot, ".omnihall"));
}

/** A folder as the banner shows it: relative inside the checkout, else in full. */
function shown(dir: string): string {
  return dir.startsWith(repoRoot) ? path.relative(repoRoot, dir) : dir;
}

export interface Infrastructure {
  /** Admin URL of the PostgreSQL server; each service gets its own database on it. */
  postgresUrl: string;
  /** Which PostgreSQL, for the start-up banner. */
  postgresSource: string;
  bus: EventBus;
  /** Which event bus, for the start-up banner. */
  busSource: string;
  /** The NATS servers behind the bus; undefined with the in-process bus. */
  natsUrl?: string;
  /** Environment for the notification service's SMS link: the operator's SMSC, or the development one. */
  smsEnv: Record<string, string>;
  /** Where text messages go, for the start-up banner. */
  smsSource: string;
  stop(): Promise<void>;
}

/**
 * With no operator SMSC configured, texts go to a development SMSC that accepts them, writes each to the log (so
 * login codes and reminders can be read there) and reports it delivered.
 */
async function startDevelopmentSmsc(logger: Logger): Promise<FakeSmsc> {
  const log = logger.child({ service: "development-smsc" });
  const smsc: FakeSmsc = await FakeSmsc.start(
    { systemId: "omnihall", password: "omnihall" },
    {
      record: false,
      // The receipt follows the submit's response, as from a real SMSC, and waits for a bind if none is up.
      autoReceipts: { afterMs: 100 },
      onSubmit(submit) {
        log.info({ to: submit.destinationAddr, from: submit.sourceAddr, text: submit.text }, "SMS delivered");
      },
    },
  );
  return smsc;
}

/**
 * PostgreSQL from DATABASE_URL, else embedded PostgreSQL; NATS from NATS_URL, else a nats-server on PATH, else an
 * in-process bus (the whole platform runs in this one process, so it reaches every service); SMS to SMPP_HOST (or
 * the webhook SMS_PROVIDER), else a development SMSC.
 */
export async function startInfrastructure(env: NodeJS.ProcessEnv, logger: Logger): Promise<Infrastructure> {
  const stops: Array<() => Promise<void>> = [];
  const state = stateDir(env);
  let postgresUrl = env.DATABASE_URL;
  let postgresSource = "DATABASE_URL";
  if (!postgresUrl) {
    const embedded = await startEmbeddedPostgres(path.join(state, "postgres"));
    stops.push(embedded.stop);
    postgresUrl = embedded.url;
    postgresSource = `embedded PostgreSQL (data in ${shown(embedded.dataDir)})`;
  }

  let bus: EventBus;
  let busSource: string;
  let natsUrl: string | undefined;
  const natsBinary = env.NATS_URL ? undefined : findNatsServer();
  if (env.NATS_URL) {
    natsUrl = env.NATS_URL;
    bus = await JetStreamBus.connect({ url: env.NATS_URL, name: "omnihall-platform", logger });
    busSource = `NATS JetStream at ${env.NATS_URL}`;
  } else if (natsBinary) {
    const nats = await startNatsServer(
      natsBinary,
      path.join(state, "nats"),
      path.join(repoRoot, "infra/nats/dev.conf"),
    );
    stops.push(nats.stop);
    natsUrl = nats.url;
    bus = await JetStreamBus.connect({ url: nats.url, name: "omnihall-platform", logger });
    busSource = `NATS JetStream (${natsBinary}, ${nats.url}, data in ${shown(path.join(state, "nats"))})`;
  } else {
    bus = new InProcessBus({ logger });
    busSource = "in-process event bus (no NATS_URL and no nats-server on PATH; events do not survive a restart)";
  }

  let smsEnv: Record<string, string> = {};
  let smsSource =
    env.SMS_PROVIDER === "webhook"
      ? `webhook ${env.SMS_WEBHOOK_URL}`
      : `SMSC at ${env.SMPP_HOST}:${env.SMPP_PORT ?? 2775}`;
  if (!env.SMPP_HOST && env.SMS_PROVIDER !== "webhook") {
    const smsc = await startDevelopmentSmsc(logger);
    stops.push(() => smsc.close());
    smsEnv = { SMPP_HOST: "127.0.0.1", SMPP_PORT: String(smsc.port) };
    smsSource = `development SMSC on 127.0.0.1:${smsc.port}: every text is written to this log as "SMS delivered"`;
  }

  return {
    smsEnv,
    smsSource,
    postgresUrl,
    postgresSource,
    bus,
    busSource,
    natsUrl,
    async stop() {
      // A Ctrl-C in a terminal also reaches the NATS child directly (PostgreSQL has its own process group and
      // supervisor), so it may be gone already: each step is tried, none may keep the others from running.
      for (const stop of [() => bus.close(), ...stops.reverse()]) {
        await stop().catch((error: unknown) => logger.warn({ err: error }, "infrastructure stop step failed"));
      }
    },
  };
}
