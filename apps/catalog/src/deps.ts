import type { CatalogDb } from "./db.js";

/** What every catalog handler works with. */
export interface CatalogDeps {
  db: CatalogDb;
  /** How long ReserveNumber holds a number. */
  reservationTtlSeconds: number;
}
