import type { TerminalServiceService } from "@omnihall/proto/omnihall/customer/v1/terminal";
import type { ServiceHandlers } from "@omnihall/service-kit";
import { getTerminal } from "./get-terminal.js";
import { findSubscribersByIdDocument } from "./id-documents.js";
import { listTerminals } from "./list-terminals.js";
import { registerTerminal } from "./register-terminal.js";
import { reportTerminalHealth } from "./report-terminal-health.js";
import type { TerminalContext } from "./terminal-context.js";
import { terminalOutOfScope } from "./terminal-errors.js";

export function terminalHandlers(context: TerminalContext): ServiceHandlers<typeof TerminalServiceService> {
  return {
    registerTerminal: (request, ctx) => registerTerminal(context, request, ctx),
    reportTerminalHealth: (request, ctx) => reportTerminalHealth(context, request, ctx),
    getTerminal: (request, ctx) => getTerminal(context, request, ctx),
    listTerminals: (request, ctx) => listTerminals(context, request, ctx),
    findSubscribersByIdDocument: (request, ctx) => {
      // The card was read by this kiosk's reader: the kiosk acts as its device, never as a subscriber already
      // identified (who would learn other people's numbers by typing an ID number).
      if (ctx.party && ctx.party.kind !== "device") throw terminalOutOfScope(ctx.party.kind);
      return findSubscribersByIdDocument(context, request);
    },
  };
}
