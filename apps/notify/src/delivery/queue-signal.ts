import { PgListener } from "@omnihall/bus";
import type { Logger } from "pino";

/**
 * The PostgreSQL channel a committed queue insert notifies (see queueMessage), waking every instance's
 * dispatcher. PostgreSQL delivers it only on commit, so a dispatcher never looks before the message is visible.
 */
export const QUEUE_SIGNAL_CHANNEL = "notify_message_queued";

/**
 * One connection LISTENing for queue signals (the bus kit's PgListener); reconnects with backoff while running.
 * The dispatcher also polls, so a lost connection only costs latency.
 */
export const QueueSignalListener = {
  start(databaseUrl: string, onSignal: () => void, logger: Logger): Promise<PgListener> {
    return PgListener.start({
      databaseUrl,
      channel: QUEUE_SIGNAL_CHANNEL,
      applicationName: "omnihall-notify-dispatch",
      onNotification: onSignal,
      logger,
    });
  },
};
