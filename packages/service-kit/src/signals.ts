import { flushLogger, type Logger } from "./logger.js";

/** Signals this soon after the first are echoes of it, not a person pressing Ctrl-C again. */
const SAME_SIGNAL_WINDOW_MS = 1_000;

/**
 * Stops the app cleanly on SIGINT/SIGTERM (Ctrl-C, `kubectl delete pod`) and then exits: 0 after a clean stop,
 * 1 if stopping failed. A second signal while stopping exits at once, for when a drain hangs — but not one that
 * arrives within a second of the first: one Ctrl-C often reaches a process twice, from the terminal to the whole
 * process group and again relayed by the `npm start` or `tsx` wrapper above it. Returns a function that removes
 * the handlers.
 */
export function installSignalHandlers(stop: () => Promise<void>, logger: Logger): () => void {
  let stoppingSince: number | undefined;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stoppingSince !== undefined) {
      if (Date.now() - stoppingSince < SAME_SIGNAL_WINDOW_MS) return;
      logger.warn({ signal }, "second signal while stopping: exiting now");
      process.exit(1);
    }
    stoppingSince = Date.now();
    logger.info({ signal }, "stopping");
    // The last lines are written out before exiting: an asynchronous write still in flight would otherwise land
    // after the ones process.exit writes synchronously ("stopped" before "drained").
    const exit = (code: number) => void flushLogger(logger).finally(() => process.exit(code));
    stop().then(
      () => {
        logger.info("stopped");
        exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, "failed to stop cleanly");
        exit(1);
      },
    );
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
  };
}
