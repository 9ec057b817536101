import { jetstreamManager, type StreamInfo } from "@nats-io/jetstream";
import { connect } from "@nats-io/transport-node";
import { inject, onTestFinished } from "vitest";
import { streamName } from "../event.js";
import { JetStreamBus, type JetStreamBusOptions } from "../jetstream-bus.js";
import type { Logger } from "../logger.js";
import { captureLogger } from "./capture-logger.js";

/**
 * A JetStreamBus on the test NATS server for one test, closed when it finishes; the streams of `domains`
 * (unique per test) are deleted then too.
 */
export async function testJetStreamBus(
  domains: string[],
  options: Partial<JetStreamBusOptions> & { url?: string; logger?: Logger } = {},
): Promise<JetStreamBus> {
  const url = options.url ?? inject("natsUrl");
  const bus = await JetStreamBus.connect({ ...options, url, logger: options.logger ?? captureLogger() });
  onTestFinished(async () => {
    await bus.close();
    await deleteStreams(url, domains);
  });
  return bus;
}

async function deleteStreams(url: string, domains: string[]): Promise<void> {
  const nc = await connect({ servers: url });
  try {
    const jsm = await jetstreamManager(nc);
    for (const domain of domains) await jsm.streams.delete(streamName(domain)).catch(() => false);
  } finally {
    await nc.close();
  }
}

/** What the stream of a domain holds right now, read over a connection of its own. */
export async function streamInfo(domain: string, url = inject("natsUrl")): Promise<StreamInfo> {
  const nc = await connect({ servers: url });
  try {
    return await (await jetstreamManager(nc)).streams.info(streamName(domain));
  } finally {
    await nc.close();
  }
}

/**
 * Whether the durable consumer `durable` has nothing left to deliver and nothing delivered but unacked, on the
 * stream of every one of `domains`: all published so far has been handled. With the producer's outbox drained
 * too, a test can then assert that something did not happen (a duplicate, say) — it would have by now.
 */
export async function consumerCaughtUp(domains: string[], durable: string, url = inject("natsUrl")): Promise<boolean> {
  const nc = await connect({ servers: url });
  try {
    const jsm = await jetstreamManager(nc);
    const streams = [...new Set(domains.map(streamName))];
    const infos = await Promise.all(streams.map((stream) => jsm.consumers.info(stream, durable)));
    return infos.every((info) => info.num_pending === 0 && info.num_ack_pending === 0);
  } finally {
    await nc.close();
  }
}
