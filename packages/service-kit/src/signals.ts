import { flushLogger, type Logger } from "./logger.js";

/** Set by a supervisor that holds the app's stdin open for as long as it lives (apps/platform's supervisor). */
export const SUPERVISED_VARIABLE = "OMNIHALL_SUPERVISED";

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
  // Under a supervisor (npm start runs each app as its process, in a process group of its own) the supervisor
  // holds this app's stdin open: when it goes, however it died, the pipe closes and the app stops as on SIGTERM
  // rather than running on unattended.
  const supervised = process.env[SUPERVISED_VARIABLE] === "1" && !process.stdin.isTTY;
  const onSupervisorGone = () => {
    if (stoppingSince !== undefined) return;
    stoppingSince = Date.now();
    // Its output went with it: nothing is logged, and the process ends with SIGKILL once the app has stopped,
    // because exiting normally makes pino flush to the dead pipe, which sonic-boom retries forever on EPIPE.
    const end = () => process.kill(process.pid, "SIGKILL");
    stop().then(end, end);
  };
  if (supervised) process.stdin.on("end", onSupervisorGone).resume();
  return () => {
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    if (supervised) process.stdin.off("end", onSupervisorGone).pause();
  };
}
