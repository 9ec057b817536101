import {
  AckPolicy,
  DeliverPolicy,
  jetstream,
  jetstreamManager,
  JetStreamApiCodes,
  JetStreamApiError,
  type ConsumerConfig,
  type JetStreamClient,
  type JetStreamManager,
  type JsMsg,
} from "@nats-io/jetstream";
import { connect, headers, nanos, type NatsConnection } from "@nats-io/transport-node";
import { failSpan } from "@omnihall/telemetry";
import { domainOf, streamName } from "./event.js";
import {
  DEFAULT_ACK_WAIT_MS,
  DEFAULT_DUPLICATE_WINDOW_MS,
  handleDelivery,
  subscriptionDomain,
  type Delivery,
  type DeliveryHandler,
  type EventBus,
  type PublishOptions,
  type PublishResult,
  type SubscribeOptions,
  type Subscription,
} from "./event-bus.js";
import type { Logger } from "./logger.js";
import { countPublished, producerSpan, watchConsumerLag } from "./bus-telemetry.js";

export interface JetStreamBusOptions {
  logger: Logger;
  /** Copies of each stream in the cluster (1 in development, 3 on the production cluster). Default 1. */
  replicas?: number;
  /** How long the stream remembers a msgId to drop duplicates. Default 2 minutes. */
  duplicateWindowMs?: number;
  /** How long events stay in a stream. Default 7 days. */
  maxAgeMs?: number;
  /** How long a publish or a stream/consumer request waits for the server's answer. Default 5 s. */
  timeoutMs?: number;
}

export interface JetStreamBusConnectOptions extends JetStreamBusOptions {
  /** NATS_URL, e.g. `nats://127.0.0.1:4222` (comma-separate several servers). */
  url: string;
  /** Connection name shown by the server, e.g. the service name. */
  name?: string;
}

const DEFAULT_MAX_AGE_MS = 7 * 24 * 60 * 60_000;
const DEFAULT_PREFETCH = 10;
/** How long one pull request waits at the server; its heartbeats come every half of it. */
const PULL_EXPIRES_MS = 10_000;
const DEFAULT_TIMEOUT_MS = 5_000;

/**
 * The event bus on NATS JetStream (works with nats-server 2.9 and later). Each domain's stream (`BILLING`
 * holding `billing.>`) is created or brought to the configured replicas and windows the first time this
 * process publishes to or subscribes on that domain.
 */
export class JetStreamBus implements EventBus {
  readonly #nc: NatsConnection;
  readonly #ownsConnection: boolean;
  readonly #js: JetStreamClient;
  readonly #jsm: JetStreamManager;
  readonly #logger: Logger;
  readonly #options: Required<Omit<JetStreamBusOptions, "logger">>;
  /** Domain → its stream being made ready; dropped on failure so the next use tries again. */
  readonly #streams = new Map<string, Promise<void>>();
  readonly #subscriptions = new Set<Subscription>();

  /** Connects to NATS; the connection reconnects forever and is closed by close(). */
  static async connect(options: JetStreamBusConnectOptions): Promise<JetStreamBus> {
    const nc = await connect({
      servers: options.url.split(","),
      name: options.name,
      maxReconnectAttempts: -1,
    });
    try {
      const bus = await JetStreamBus.#create(nc, options, true);
      bus.#watchConnection();
      return bus;
    } catch (error) {
      await nc.close();
      throw error;
    }
  }

  /** A bus over a connection the caller owns: close() stops the bus's subscriptions but leaves it open. */
  static over(nc: NatsConnection, options: JetStreamBusOptions): Promise<JetStreamBus> {
    return JetStreamBus.#create(nc, options, false);
  }

  static async #create(nc: NatsConnection, options: JetStreamBusOptions, ownsConnection: boolean) {
    const jsm = await jetstreamManager(nc, { timeout: options.timeoutMs ?? DEFAULT_TIMEOUT_MS });
    return new JetStreamBus(nc, jsm, options, ownsConnection);
  }

  private constructor(
    nc: NatsConnection,
    jsm: JetStreamManager,
    options: JetStreamBusOptions,
    ownsConnection: boolean,
  ) {
    this.#nc = nc;
    this.#ownsConnection = ownsConnection;
    this.#jsm = jsm;
    this.#logger = options.logger;
    this.#options = {
      replicas: options.replicas ?? 1,
      duplicateWindowMs: options.duplicateWindowMs ?? DEFAULT_DUPLICATE_WINDOW_MS,
      maxAgeMs: options.maxAgeMs ?? DEFAULT_MAX_AGE_MS,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    };
    this.#js = jetstream(nc, { timeout: this.#options.timeoutMs });
  }

  async publish(subject: string, payload: Uint8Array, options: PublishOptions): Promise<PublishResult> {
    const domain = domainOf(subject);
    await this.#ensureStream(domain);
    const { span, headers: sent } = producerSpan(subject, options.msgId, options.headers);
    const natsHeaders = headers();
    for (const [key, value] of Object.entries(sent ?? {})) natsHeaders.set(key, value);
    try {
      const ack = await this.#js.publish(subject, payload, {
        msgID: options.msgId,
        headers: natsHeaders,
        timeout: this.#options.timeoutMs,
      });
      countPublished(subject, ack.duplicate);
      span?.end();
      return { stream: ack.stream, seq: ack.seq, duplicate: ack.duplicate };
    } catch (error) {
      if (span) {
        failSpan(span, error);
        span.end();
      }
      // The stream may have been removed or the server replaced: check it again before the next publish.
      this.#streams.delete(domain);
      throw error;
    }
  }

  async subscribe(options: SubscribeOptions, handler: DeliveryHandler): Promise<Subscription> {
    const domain = subscriptionDomain(options);
    await this.#ensureStream(domain);
    const stream = streamName(domain);
    await this.#ensureConsumer(stream, domain, options);
    const consumer = await this.#js.consumers.get(stream, options.durable);
    const unwatchLag = watchConsumerLag(stream, options.durable, async () => {
      const info = await consumer.info();
      return { pending: info.num_pending, ackPending: info.num_ack_pending, redelivered: info.num_redelivered };
    });
    const messages = await consumer.consume({
      max_messages: options.prefetch ?? DEFAULT_PREFETCH,
      // A pull parked at a NATS node that died is noticed after two missed heartbeats (half of this each) and
      // pulled again from the new consumer leader: ~10 s of no deliveries instead of the default's ~30–60 s.
      expires: PULL_EXPIRES_MS,
    });
    const wanted = new Set(options.subjects);
    const logger = this.#logger.child({ durable: options.durable });

    let stopping = false;
    const loop = (async () => {
      for await (const msg of messages) {
        if (stopping) {
          // Prefetched but not started: give it back so another instance takes it now, not after ack wait.
          settleQuietly(() => msg.nak(), logger);
        } else if (!wanted.has(msg.subject)) {
          // Several subjects share a `<domain>.>` filter (nats-server 2.9 has one filter per consumer).
          settleQuietly(() => msg.ack(), logger);
        } else {
          await handleDelivery(handler, toDelivery(msg, logger), logger);
        }
      }
    })().catch((error: unknown) => logger.error({ err: error }, "event subscription stopped by an error"));

    const subscription: Subscription = {
      stop: async () => {
        stopping = true;
        unwatchLag();
        messages.stop();
        await loop;
        this.#subscriptions.delete(subscription);
      },
    };
    this.#subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    await Promise.all([...this.#subscriptions].map((subscription) => subscription.stop()));
    // Drain flushes pending acks; during an outage there is nothing to flush to, so just close.
    if (this.#ownsConnection && !this.#nc.isClosed()) await this.#nc.drain().catch(() => this.#nc.close());
  }

  #ensureStream(domain: string): Promise<void> {
    let ready = this.#streams.get(domain);
    if (!ready) {
      ready = this.#upsertStream(domain);
      ready.catch(() => this.#streams.delete(domain));
      this.#streams.set(domain, ready);
    }
    return ready;
  }

  async #upsertStream(domain: string): Promise<void> {
    const name = streamName(domain);
    const wanted = {
      subjects: [`${domain}.>`],
      num_replicas: this.#options.replicas,
      duplicate_window: nanos(this.#options.duplicateWindowMs),
      max_age: nanos(this.#options.maxAgeMs),
    };
    const info = () =>
      this.#jsm.streams.info(name).catch((error: unknown) => {
        if (isApiError(error, JetStreamApiCodes.StreamNotFound)) return undefined;
        throw error;
      });
    let existing = await info();
    if (!existing) {
      try {
        await this.#jsm.streams.add({ name, ...wanted });
        this.#logger.info({ stream: name, ...wanted }, "created event stream");
        return;
      } catch (error) {
        // Another process may have created it a moment ago: then bring that one up to date instead.
        existing = await info();
        if (!existing) throw error;
      }
    }
    const { config } = existing;
    if (
      !config.subjects?.includes(wanted.subjects[0]!) ||
      config.num_replicas !== wanted.num_replicas ||
      config.duplicate_window !== wanted.duplicate_window ||
      config.max_age !== wanted.max_age
    ) {
      await this.#jsm.streams.update(name, {
        ...config,
        subjects: [...new Set([...(config.subjects ?? []), ...wanted.subjects])],
        num_replicas: wanted.num_replicas,
        duplicate_window: wanted.duplicate_window,
        max_age: wanted.max_age,
      });
      this.#logger.info({ stream: name, ...wanted }, "updated event stream");
    }
  }

  async #ensureConsumer(stream: string, domain: string, options: SubscribeOptions): Promise<void> {
    const settings = {
      ack_wait: nanos(options.ackWaitMs ?? DEFAULT_ACK_WAIT_MS),
      max_deliver: options.maxDeliver ?? -1,
      filter_subject: options.subjects.length === 1 ? options.subjects[0]! : `${domain}.>`,
    } satisfies Partial<ConsumerConfig>;
    const existing = await this.#jsm.consumers.info(stream, options.durable).catch((error: unknown) => {
      if (isApiError(error, JetStreamApiCodes.ConsumerNotFound)) return undefined;
      throw error;
    });
    if (!existing) {
      await this.#jsm.consumers.add(stream, {
        durable_name: options.durable,
        ack_policy: AckPolicy.Explicit,
        deliver_policy: options.deliverFrom === "new" ? DeliverPolicy.New : DeliverPolicy.All,
        ...settings,
      });
      return;
    }
    const { config } = existing;
    if (
      config.ack_wait !== settings.ack_wait ||
      config.max_deliver !== settings.max_deliver ||
      config.filter_subject !== settings.filter_subject
    ) {
      await this.#jsm.consumers.update(stream, options.durable, settings);
    }
  }

  #watchConnection(): void {
    const logger = this.#logger.child({ nats: this.#nc.getServer() });
    void (async () => {
      for await (const status of this.#nc.status()) {
        if (status.type === "disconnect" || status.type === "error") logger.warn({ status }, "NATS connection trouble");
        else if (status.type === "reconnect") logger.info({ status }, "NATS reconnected");
      }
    })();
  }
}

function isApiError(error: unknown, code: number): boolean {
  return error instanceof JetStreamApiError && error.code === code;
}

/** Acks are fire-and-forget publishes; on a closed connection they throw, and the server redelivers later. */
function settleQuietly(settle: () => void, logger: Logger): void {
  try {
    settle();
  } catch (error) {
    logger.warn({ err: error }, "could not settle a delivery; it will be redelivered after ack wait");
  }
}

function toDelivery(msg: JsMsg, logger: Logger): Delivery {
  const applicationHeaders: Record<string, string> = {};
  let msgId: string | undefined;
  for (const [key, values] of msg.headers ?? []) {
    if (key.toLowerCase() === "nats-msg-id") msgId = values[0];
    else if (!key.toLowerCase().startsWith("nats-")) applicationHeaders[key] = values[0] ?? "";
  }
  let settled = false;
  const settle = (action: () => void) => {
    if (settled) return;
    settled = true;
    settleQuietly(action, logger);
  };
  return {
    subject: msg.subject,
    payload: msg.data,
    headers: applicationHeaders,
    msgId,
    seq: msg.seq,
    deliveryCount: msg.info.deliveryCount,
    ack: () => settle(() => msg.ack()),
    nak: (delayMs) => settle(() => msg.nak(delayMs)),
    term: () => settle(() => msg.term()),
  };
}
