import type { Logger } from "../logger.js";

export interface LogEntry {
  level: "debug" | "info" | "warn" | "error";
  message: string;
  /** The entry's details merged over the bindings of every child logger it came through. */
  details: Record<string, unknown>;
}

/** A Logger that keeps what it is told, so tests can assert what the bus logged. */
export function captureLogger(): Logger & { entries: LogEntry[] } {
  const entries: LogEntry[] = [];
  const make = (bindings: Record<string, unknown>): Logger => {
    const write = (level: LogEntry["level"]) => (details: object, message: string) => {
      entries.push({ level, message, details: { ...bindings, ...details } });
    };
    return {
      child: (more) => make({ ...bindings, ...more }),
      debug: write("debug"),
      info: write("info"),
      warn: write("warn"),
      error: write("error"),
    };
  };
  return Object.assign(make({}), { entries });
}
