import { pino } from "pino";
import type { LogLevel } from "@omnihall/config";

export type Logger = pino.Logger;

/**
 * The JSON logger every app uses: one line per event on stdout (or `destination`, which tests use to read what
 * was logged), named after the app so a shared log stream can be filtered by service.
 */
export function createLogger(
  name: string,
  options: { level?: LogLevel; destination?: pino.DestinationStream } = {},
): Logger {
  // Synchronous writes to stdout: the last lines before a crash or process.exit are the ones that matter, and
  // pino's asynchronous stdout loses or reorders them on exit.
  const destination = options.destination ?? pino.destination({ dest: 1, sync: true });
  return pino({ name, level: options.level ?? "info" }, destination);
}
