import type { TerminalServiceService } from "@omnihall/proto/omnihall/customer/v1/terminal";
import type { CallPolicy } from "@omnihall/service-kit";

/**
 * Who may call the terminal registry (deny by default). Terminals speak for themselves through their hall (the
 * kiosk as its device, the mini hall as the agent holding the handheld); operations staff read and provision
 * them; the platform's own tools do anything. The handlers hold each party to its own terminal or province.
 */
export const terminalPolicy: CallPolicy<typeof TerminalServiceService> = {
  registerTerminal: { callers: ["kiosk", "mini-hall", "ops-console", "platform"] },
  reportTerminalHealth: { callers: ["kiosk", "mini-hall", "platform"] },
  getTerminal: { callers: ["kiosk", "mini-hall", "ops-console", "platform"] },
  listTerminals: { callers: ["ops-console", "platform"] },
  // Only a kiosk reads ID cards; the handlers take a device party only (see terminal-handlers.ts).
  findSubscribersByIdDocument: { callers: ["kiosk"] },
};
