import { TerminalServiceService } from "@omnihall/proto/omnihall/customer/v1/terminal";
import type { ServiceRegistration } from "@omnihall/service-kit";
import type { CustomerDb } from "../db.js";
import { documentKeyOf } from "./id-documents.js";
import { DEFAULT_SILENT_AFTER_MS } from "./terminal-context.js";
import { terminalHandlers } from "./terminal-handlers.js";
import { terminalPolicy } from "./terminal-policy.js";

/** omnihall.customer.v1.TerminalService: the registry of kiosks and handhelds, and the kiosk's ID-card look-up. */
export function terminalServiceRegistration(options: {
  db: CustomerDb;
  now: () => Date;
  loginCodeSecret: string;
  silentAfterMs?: number;
}): ServiceRegistration<typeof TerminalServiceService> {
  return {
    definition: TerminalServiceService,
    policy: terminalPolicy,
    handlers: terminalHandlers({
      db: options.db,
      now: options.now,
      silentAfterMs: options.silentAfterMs ?? DEFAULT_SILENT_AFTER_MS,
      documentSecret: documentKeyOf(options.loginCodeSecret),
    }),
  };
}
