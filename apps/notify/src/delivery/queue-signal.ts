import { PgListener } from "@omnihall/bus";
import type { Logger } from "pino";
import type { NotifyTx } from "../db.js";

/** The PostgreSQL channel a committed queue insert notifies, waking every instance's dispatcher. */
const CHANNEL = "notify_message_queued";

/**
 * Tells dispatchers a message is due. Sent inside the queuing transaction: PostgreSQL delivers it only on
 * commit, so a dispatcher never looks before the message is visible, and every instance hears it.
 */
export async function signalMessageQueued(tx: NotifyTx): Promise<void> {
  await tx.$executeRaw`SELECT pg_notify(${CHANNEL}, '')`;
}

/**
 * One connection LISTENing for queue signals (the bus kit's PgListener); reconnects with backoff while running.
 * The dispatcher also polls, so a lost connection only costs latency.
 */
export const QueueSignalListener = {
  start(databaseUrl: string, onSignal: () => void, logger: Logger): Promise<PgListener> {
    return PgListener.start({
      databaseUrl,
      channel: CHANNEL,
      applicationName: "omnihall-notify-dispatch",
      onNotification: onSignal,
      logger,
    });
  },
};
