export {
  defineEvent,
  domainOf,
  streamName,
  type EventDefinition,
  type EventMessage,
  type MessageCodec,
} from "./event.js";
export {
  REQUEST_ID_HEADER,
  type Delivery,
  type DeliveryHandler,
  type EventBus,
  type PublishOptions,
  type PublishResult,
  type SubscribeOptions,
  type Subscription,
} from "./event-bus.js";
export { JetStreamBus, type JetStreamBusConnectOptions, type JetStreamBusOptions } from "./jetstream-bus.js";
export { InProcessBus, type InProcessBusOptions } from "./in-process-bus.js";
export type { SqlClient, TransactionRunner } from "./sql-client.js";
export { enqueue, enqueueAll, OUTBOX_CHANNEL, type EnqueueOptions } from "./outbox.js";
export { OutboxRelay, type OutboxRelayOptions } from "./outbox-relay.js";
export {
  consume,
  isEvent,
  type ConsumeOptions,
  type EventConsumer,
  type EventContext,
  type PrepareContext,
  type ReceivedEvent,
} from "./consume.js";
export { WorkLoop, type WorkLoopOptions } from "./work-loop.js";
export { PgListener, type PgListenerOptions } from "./pg-listener.js";
export { watchBucket, type WatchBucketOptions } from "./kv-watch.js";
export { backoffDelay, type Backoff } from "./backoff.js";
export type { Logger } from "./logger.js";
export {
  RetentionSweeper,
  RETENTION_DEFAULT_DAYS,
  days,
  type RetentionSweeperOptions,
  type RetentionTable,
} from "./retention.js";
