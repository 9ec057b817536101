import type { CustomerDb } from "../db.js";

/** What the terminal registry's handlers work with. */
export interface TerminalContext {
  db: CustomerDb;
  now: () => Date;
  /** A terminal with no heartbeat for longer than this is SILENT. */
  silentAfterMs: number;
  /** Key of the HMAC under which identity document numbers are kept. */
  documentSecret: string;
}

/** Kiosks beat every 30 s by default: three missed beats make a terminal silent. */
export const DEFAULT_SILENT_AFTER_MS = 90_000;
