import type { Logger } from "./logger.js";

/**
 * Stops the app cleanly on SIGINT/SIGTERM (Ctrl-C, `kubectl delete pod`) and then exits: 0 after a clean stop,
 * 1 if stopping failed. A second signal while stopping exits at once, for when a drain hangs. Returns a
 * function that removes the handlers.
 */
export function installSignalHandlers(stop: () => Promise<void>, logger: Logger): () => void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, "second signal while stopping: exiting now");
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, "stopping");
    stop().then(
      () => {
        logger.info("stopped");
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, "failed to stop cleanly");
        process.exit(1);
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
