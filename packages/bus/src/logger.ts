/** The slice of a pino logger the bus writes to; a service passes its own pino logger (or a child of it). */
export interface Logger {
  child(bindings: Record<string, unknown>): Logger;
  debug(details: object, message: string): void;
  info(details: object, message: string): void;
  warn(details: object, message: string): void;
  error(details: object, message: string): void;
}
