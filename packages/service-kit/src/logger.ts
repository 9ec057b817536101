import { pino } from "pino";
import type { LogLevel } from "@omnihall/config";
import { traceLogMixin } from "@omnihall/telemetry";

export type Logger = pino.Logger;

const LOG_BATCH_BYTES = 4096;
const LOG_FLUSH_MS = 100;

/**
 * The JSON logger every app uses: one line per event on stdout (or `destination`, which tests use to read what
 * was logged), named after the app so a shared log stream can be filtered by service, with the trace and span id
 * of the work it describes when tracing is on.
 */
export function createLogger(
  name: string,
  options: { level?: LogLevel; destination?: pino.DestinationStream } = {},
): Logger {
  // Asynchronous writes to stdout (sonic-boom): a call never waits for the terminal or the pipe. Lines still
  // buffered are written synchronously when the process exits (pino flushes its destination on exit, also after
  // process.exit and crashes); `flushLogger` empties it on a clean shutdown.
  // Lines go out in writes of 4 KB or every LOG_FLUSH_MS, not one write(2) each: with a line per call, a write per
  // line was 9–15 % of a busy service's CPU (the SMS hall bench's profiles). A line waits at most LOG_FLUSH_MS.
  const destination =
    options.destination ??
    pino.destination({ dest: 1, sync: false, minLength: LOG_BATCH_BYTES, periodicFlush: LOG_FLUSH_MS });
  return pino({ name, level: options.level ?? "info", ...traceLogMixin }, destination);
}

/** The longest a flush may take: output nobody reads any more (a supervisor gone, a closed pipe) never drains. */
const FLUSH_TIMEOUT_MS = 2_000;

/** Writes out what the logger still buffers (on shutdown, before the process goes), waiting 2 s at most. */
export function flushLogger(logger: Logger): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, FLUSH_TIMEOUT_MS);
    timer.unref();
    try {
      logger.flush(() => {
        clearTimeout(timer);
        resolve();
      });
    } catch {
      // A destination without flush (a test's capture) has nothing buffered.
      clearTimeout(timer);
      resolve();
    }
  });
}
