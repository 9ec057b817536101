import type { NotifyDb } from "./db.js";
import type { MessagePolicy } from "./messages/queue-message.js";
import type { RecipientDirectory } from "./recipients/recipient-directory.js";

/** What the RPC handlers and event consumers share. */
export interface NotifyDeps {
  db: NotifyDb;
  recipients: RecipientDirectory;
  policy: MessagePolicy;
}
