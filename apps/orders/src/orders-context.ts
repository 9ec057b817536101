import type { OrdersDb } from "./db.js";
import type { Dependencies } from "./dependencies/dependencies.js";

/** What the use cases share: the database, the services they call, and the rules' settings. */
export interface OrdersContext {
  db: OrdersDb;
  deps: Dependencies;
  /** How long a subscriber has to confirm. */
  confirmationTtlMs: number;
  /** Deadline of each call to another service. */
  dependencyDeadlineMs: number;
  /** Tells the saga workers a step is due now (after a confirmation), instead of at their next poll. */
  wakeSaga(): void;
}
